import { load } from "cheerio";
import { z } from "zod";
import { mediaTypeFromMime, wantsMediaType } from "@/lib/sources/media-kinds";
import { fetchJson, malformed, parseResponse } from "@/lib/sources/source-http";
import {
  SourceError,
  type SearchPage,
  type SearchRequest,
  type SourceAdapter,
  type SourceContext,
  type SourceItem,
} from "@/lib/sources/types";

// Wikimedia Commons through the MediaWiki Action API: a search generator over the File
// namespace with imageinfo for each hit. For "both", bitmaps are searched first, then videos.

const NAME = "Wikimedia Commons";
const MAX_PAGE_SIZE = 50;
const THUMB_WIDTH = 320;

type Phase = "bitmap" | "video";

const continueSchema = z.record(z.string(), z.union([z.string(), z.number()]));

const cursorSchema = z.object({
  phase: z.enum(["bitmap", "video"]),
  /** The API's own "continue" object, sent back verbatim; null starts the phase. */
  continue: continueSchema.nullable(),
});
type Cursor = z.infer<typeof cursorSchema>;

const metadataField = z.object({ value: z.union([z.string(), z.number()]).transform(String) }).optional();
const extmetadataSchema = z.union([
  z.object({
    Artist: metadataField,
    LicenseShortName: metadataField,
    LicenseUrl: metadataField,
    ImageDescription: metadataField,
  }),
  // PHP serialises an empty map as [] when a file has no metadata.
  z.array(z.never()).transform(() => ({}) as Record<string, undefined>),
]);

const imageInfoSchema = z.object({
  url: z.string(),
  descriptionurl: z.string(),
  mime: z.string(),
  thumburl: z.string().optional(),
  extmetadata: extmetadataSchema.optional(),
});

const pageSchema = z.object({
  pageid: z.number().int(),
  title: z.string(),
  /** Rank in the search results; the API lists generator pages by page id. */
  index: z.number().optional(),
  imageinfo: z.array(imageInfoSchema).optional(),
});

const responseSchema = z.object({
  error: z.object({ code: z.string(), info: z.string() }).optional(),
  batchcomplete: z.union([z.boolean(), z.string()]).optional(),
  continue: continueSchema.optional(),
  query: z.object({ pages: z.array(pageSchema) }).optional(),
});

function phasesFor(request: SearchRequest): Phase[] {
  if (request.mediaTypes === "images") return ["bitmap"];
  if (request.mediaTypes === "videos") return ["video"];
  return ["bitmap", "video"];
}

function parseCursor(request: SearchRequest, phases: Phase[]): Cursor {
  if (request.cursor === null) return { phase: phases[0], continue: null };
  let json: unknown;
  try {
    json = JSON.parse(request.cursor);
  } catch (error) {
    if (!(error instanceof SyntaxError)) throw error;
    json = undefined;
  }
  const parsed = cursorSchema.safeParse(json);
  if (!parsed.success || !phases.includes(parsed.data.phase)) {
    throw new SourceError(`${NAME}: invalid cursor "${request.cursor}"`, undefined, false);
  }
  return parsed.data;
}

function searchUrl(apiUrl: string, query: string, cursor: Cursor, limit: number) {
  const url = new URL(apiUrl);
  const params = url.searchParams;
  params.set("action", "query");
  params.set("format", "json");
  params.set("formatversion", "2");
  params.set("generator", "search");
  params.set("gsrnamespace", "6");
  params.set("gsrsearch", `filetype:${cursor.phase} ${query}`);
  params.set("gsrlimit", String(Math.min(MAX_PAGE_SIZE, Math.max(1, limit))));
  params.set("prop", "imageinfo");
  params.set("iiprop", "url|size|mime|extmetadata");
  params.set("iiurlwidth", String(THUMB_WIDTH));
  params.set("iiextmetadatafilter", "Artist|LicenseShortName|LicenseUrl|ImageDescription");
  for (const [key, value] of Object.entries(cursor.continue ?? {})) params.set(key, String(value));
  return url.href;
}

/** Artist and other extmetadata values are HTML fragments (links to user pages). */
function plainText(html: string | undefined) {
  if (html === undefined) return undefined;
  const text = load(html, null, false).text().replace(/\s+/g, " ").trim();
  return text || undefined;
}

function displayTitle(title: string) {
  return title.replace(/^File:/, "").replace(/\.[^.]+$/, "");
}

function absolute(url: string | undefined) {
  return url?.startsWith("//") ? `https:${url}` : url;
}

function toItem(page: z.infer<typeof pageSchema>, request: SearchRequest): SourceItem | undefined {
  // A file page without imageinfo has no file behind it (deleted or suppressed upload).
  const info = page.imageinfo?.[0];
  if (!info) return undefined;
  const mediaType = mediaTypeFromMime(info.mime);
  if (!mediaType || !wantsMediaType(request.mediaTypes, mediaType)) return undefined;
  const meta = info.extmetadata ?? {};
  return {
    remoteId: String(page.pageid),
    mediaType,
    mediaUrl: info.url,
    thumbnailUrl: info.thumburl,
    pageUrl: info.descriptionurl,
    title: displayTitle(page.title),
    author: plainText(meta.Artist?.value),
    license: plainText(meta.LicenseShortName?.value),
    licenseUrl: absolute(meta.LicenseUrl?.value),
  };
}

export function createWikimediaCommons(options: { apiUrl: string | (() => string) }): SourceAdapter {
  const apiUrl = () => (typeof options.apiUrl === "function" ? options.apiUrl() : options.apiUrl);

  async function search(request: SearchRequest, context: SourceContext): Promise<SearchPage> {
    const query = request.query.trim();
    if (!query) throw new SourceError(`${NAME}: a search query is required`, undefined, false);
    const phases = phasesFor(request);
    const cursor = parseCursor(request, phases);
    if (request.limit < 1) return { items: [], nextCursor: request.cursor };

    const data = parseResponse(
      NAME,
      responseSchema,
      await fetchJson(NAME, context.http, searchUrl(apiUrl(), query, cursor, request.limit)),
    );
    if (data.error) {
      throw new SourceError(`${NAME}: API error ${data.error.code}: ${data.error.info}`, undefined, false);
    }
    // A search that matched nothing answers {"batchcomplete": true} with no query at all.
    if (!data.query && (data.batchcomplete === undefined || data.continue)) malformed(NAME, "missing query.pages");

    const pages = [...(data.query?.pages ?? [])].sort((a, b) => (a.index ?? 0) - (b.index ?? 0));
    const items = pages.flatMap((page) => toItem(page, request) ?? []).slice(0, request.limit);

    const nextPhase = phases[phases.indexOf(cursor.phase) + 1];
    const next: Cursor | null = data.continue
      ? { phase: cursor.phase, continue: data.continue }
      : nextPhase
        ? { phase: nextPhase, continue: null }
        : null;
    return { items, nextCursor: next ? JSON.stringify(next) : null };
  }

  return {
    id: "wikimedia-commons",
    adapter: "wikimedia-commons",
    // API etiquette: serial requests.
    politeness: { requestsPerSecond: 2, concurrency: 1 },
    name: NAME,
    description: "Freely licensed photos and videos from Wikimedia Commons, with author and license.",
    homepage: "https://commons.wikimedia.org/",
    category: "wikis",
    mediaTypes: ["image", "video"],
    input: "query",
    safeSearch: false,
    search,
  };
}
