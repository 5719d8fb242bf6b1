import { load } from "cheerio";
import { z } from "zod";
import { mediaTypeFromMime } from "@/lib/sources/media-kinds";
import { fetchJson, malformed, parseResponse } from "@/lib/sources/source-http";
import { SourceError } from "@/lib/sources/types";
import type { DroppedRecord, SearchPage, SearchRequest, SourceAdapter, SourceContext, SourceItem } from "@/lib/sources/types";
import { malformedRecord } from "@/lib/sources/records";

// Wikimedia Commons through the MediaWiki Action API: a search generator over the File
// namespace with imageinfo for each hit. For "both", bitmaps are searched first, then videos.
// The file taken is imageinfo.url, the original upload (the largest rendition). Checked on search
// responses recorded by Wikimedia's MediaSearch extension tests
// (tests/fixtures/sources/commons-recorded-search.provenance.md): those were made with the default
// formatversion 1, where query.pages is an object keyed by page id, so that shape is read too, and
// without extmetadata (no author or license). Each page is read on its own: a page without a file
// (deleted upload), of a format Trawl cannot store (SVG, DjVu, PDF, audio-only Ogg, ...), of the
// other media type, or malformed is reported as a dropped record with its reason.

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

/** MIME types of files Trawl stores (lib/media/media-types.ts); Ogg is labelled application/ogg. */
const STORED_MIME = new Set([
  "image/jpeg",
  "image/png",
  "image/gif",
  "image/webp",
  "image/avif",
  "image/bmp",
  "image/tiff",
  "video/mp4",
  "video/webm",
  "video/ogg",
  "video/quicktime",
  "video/x-matroska",
  "application/ogg",
]);

const pageSchema = z.object({
  pageid: z.number().int(),
  title: z.string(),
  /** Rank in the search results; the API lists generator pages by page id. */
  index: z.number().optional(),
  imageinfo: z.array(imageInfoSchema).optional(),
});

/** formatversion 1's { "<pageid>": page } as a list; a list (formatversion 2) as is. */
function pageList(pages: unknown) {
  return pages !== null && typeof pages === "object" && !Array.isArray(pages) ? Object.values(pages) : pages;
}

const responseSchema = z.object({
  error: z.object({ code: z.string(), info: z.string() }).optional(),
  batchcomplete: z.union([z.boolean(), z.string()]).optional(),
  continue: continueSchema.optional(),
  // formatversion 2 lists pages; formatversion 1 keys them by page id.
  query: z.object({ pages: z.preprocess(pageList, z.array(z.unknown())) }).optional(),
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

function rawId(raw: unknown) {
  const id = typeof raw === "object" && raw !== null ? (raw as { pageid?: unknown }).pageid : undefined;
  return typeof id === "number" ? String(id) : undefined;
}

type Outcome = { index: number; item: SourceItem } | { index: number; dropped: DroppedRecord };

function toOutcome(raw: unknown, phase: Phase): Outcome {
  const parsed = pageSchema.safeParse(raw, { reportInput: true });
  if (!parsed.success) return { index: 0, dropped: malformedRecord(raw, parsed.error, rawId(raw)) };
  const page = parsed.data;
  const index = page.index ?? 0;
  const remoteId = String(page.pageid);
  // A file page without imageinfo has no file behind it (deleted or suppressed upload).
  const info = page.imageinfo?.[0];
  if (!info) return { index, dropped: { remoteId, reason: "no file behind the page (deleted or suppressed upload)" } };
  const mime = info.mime.split(";")[0].trim().toLowerCase();
  if (!STORED_MIME.has(mime)) return { index, dropped: { remoteId, reason: `a ${mime} file, which Trawl cannot store` } };
  const mediaType = mediaTypeFromMime(mime);
  if (mediaType !== (phase === "bitmap" ? "image" : "video")) {
    return { index, dropped: { remoteId, reason: `a ${mediaType ?? mime} file in the ${phase} search` } };
  }
  const meta = info.extmetadata ?? {};
  return {
    index,
    item: {
      remoteId,
      mediaType,
      mediaUrl: info.url,
      thumbnailUrl: info.thumburl,
      pageUrl: info.descriptionurl,
      title: displayTitle(page.title),
      author: plainText(meta.Artist?.value),
      license: plainText(meta.LicenseShortName?.value),
      licenseUrl: absolute(meta.LicenseUrl?.value),
    },
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

    const outcomes = (data.query?.pages ?? []).map((page) => toOutcome(page, cursor.phase)).sort((a, b) => a.index - b.index);
    const items = outcomes.flatMap((outcome) => ("item" in outcome ? [outcome.item] : [])).slice(0, request.limit);
    const dropped = outcomes.flatMap((outcome) => ("dropped" in outcome ? [outcome.dropped] : []));

    const nextPhase = phases[phases.indexOf(cursor.phase) + 1];
    const next: Cursor | null = data.continue
      ? { phase: cursor.phase, continue: data.continue }
      : nextPhase
        ? { phase: nextPhase, continue: null }
        : null;
    return { items, nextCursor: next ? JSON.stringify(next) : null, ...(dropped.length > 0 ? { dropped } : {}) };
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
