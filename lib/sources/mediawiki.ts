// Docs followed: MediaWiki Action API generator=search (https://www.mediawiki.org/wiki/API:Search) and Extension:PageImages prop=pageimages (https://www.mediawiki.org/wiki/Extension:PageImages#API).
import { z } from "zod";
import { mediaTypeFromExtension } from "@/lib/sources/media-kinds";
import { fetchJson, malformed, parseResponse } from "@/lib/sources/source-http";
import { SourceError } from "@/lib/sources/types";
import type { DroppedRecord, SearchPage, SearchRequest, SourceAdapter, SourceContext, SourceItem } from "@/lib/sources/types";
import { malformedRecord } from "@/lib/sources/records";

// Any MediaWiki site with the PageImages extension (every Wikimedia wiki): a full-text
// search over articles (namespace 0) whose hits come with their lead image. The lead image's
// original is taken when it is a raster file; SVG originals (flags, maps, logos) are taken as
// their PNG rendering instead, since SVG is not accepted for download.
// An article without a lead image, one whose lead image has no raster file or rendering, or a
// malformed page is reported as a dropped record with its reason. formatversion 1's query.pages
// (an object keyed by page id) is read as well: the one recorded generator=search response found,
// from Wikimedia's MediaSearch tests (tests/fixtures/sources/mediawiki-recorded-search-pages.provenance.md),
// has that shape and was made without prop=pageimages; no recorded response with pageimages was found.

const MAX_BATCH = 50;
/** Width of the rendering asked for; it is the media itself for SVG lead images. */
const THUMB_WIDTH = 1280;

const continueSchema = z.record(z.string(), z.union([z.string(), z.number()]));

const imageSchema = z.object({ source: z.string() });

const pageSchema = z.object({
  pageid: z.number().int(),
  title: z.string(),
  /** Rank in the search results; the API lists generator pages by page id. */
  index: z.number().optional(),
  fullurl: z.string().optional(),
  pageimage: z.string().optional(),
  original: imageSchema.optional(),
  thumbnail: imageSchema.optional(),
});

/** formatversion 1's { "<pageid>": page } as a list; a list (formatversion 2) as is. */
function pageList(pages: unknown) {
  return pages !== null && typeof pages === "object" && !Array.isArray(pages) ? Object.values(pages) : pages;
}

const responseSchema = z.object({
  error: z.object({ code: z.string(), info: z.string() }).optional(),
  batchcomplete: z.union([z.boolean(), z.string()]).optional(),
  continue: continueSchema.optional(),
  query: z.object({ pages: z.preprocess(pageList, z.array(z.unknown())) }).optional(),
});

function parseCursor(name: string, cursor: string | null): Record<string, string | number> | null {
  if (cursor === null) return null;
  let json: unknown;
  try {
    json = JSON.parse(cursor);
  } catch (error) {
    if (!(error instanceof SyntaxError)) throw error;
    json = undefined;
  }
  const parsed = continueSchema.safeParse(json);
  if (!parsed.success) throw new SourceError(`${name}: invalid cursor "${cursor}"`, undefined, false);
  return parsed.data;
}

function searchUrl(apiUrl: string, query: string, batch: number, cont: Record<string, string | number> | null) {
  const url = new URL(apiUrl);
  const params = url.searchParams;
  params.set("action", "query");
  params.set("format", "json");
  params.set("formatversion", "2");
  params.set("generator", "search");
  params.set("gsrsearch", query);
  params.set("gsrnamespace", "0");
  params.set("gsrlimit", String(batch));
  params.set("prop", "pageimages|info");
  params.set("piprop", "original|thumbnail|name");
  params.set("pithumbsize", String(THUMB_WIDTH));
  params.set("pilimit", String(batch));
  params.set("pilicense", "any");
  params.set("inprop", "url");
  for (const [key, value] of Object.entries(cont ?? {})) params.set(key, String(value));
  return url.href;
}

function isRaster(url: string) {
  return URL.canParse(url) && mediaTypeFromExtension(url) === "image";
}

function rawId(raw: unknown) {
  const id = typeof raw === "object" && raw !== null ? (raw as { pageid?: unknown }).pageid : undefined;
  return typeof id === "number" ? `page-${id}` : undefined;
}

type Outcome = { index: number; item: SourceItem } | { index: number; dropped: DroppedRecord };

function toOutcome(raw: unknown): Outcome {
  const parsed = pageSchema.safeParse(raw, { reportInput: true });
  if (!parsed.success) return { index: 0, dropped: malformedRecord(raw, parsed.error, rawId(raw)) };
  const page = parsed.data;
  const index = page.index ?? 0;
  // The file, not the article: articles sharing a lead image share one download.
  const remoteId = page.pageimage ?? `page-${page.pageid}`;
  const original = page.original?.source;
  const thumbnail = page.thumbnail?.source;
  const mediaUrl = original && isRaster(original) ? original : thumbnail && isRaster(thumbnail) ? thumbnail : undefined;
  if (!mediaUrl) {
    const reason =
      original || thumbnail || page.pageimage ? "its lead image has no raster file or rendering" : "the article has no lead image";
    return { index, dropped: { remoteId, reason } };
  }
  return { index, item: { remoteId, mediaType: "image", mediaUrl, thumbnailUrl: thumbnail, pageUrl: page.fullurl, title: page.title } };
}

export function createMediaWiki(options: {
  id: string;
  name: string;
  apiUrl: string | (() => string);
  homepage: string;
  description: string;
}): SourceAdapter {
  const name = options.name;
  const apiUrl = () => (typeof options.apiUrl === "function" ? options.apiUrl() : options.apiUrl);

  /** The cursor is the API's own "continue" object, sent back verbatim. */
  async function search(request: SearchRequest, context: SourceContext): Promise<SearchPage> {
    if (request.mediaTypes === "videos") return { items: [], nextCursor: null };
    const query = request.query.trim();
    if (!query) throw new SourceError(`${name}: a search query is required`, undefined, false);
    const cont = parseCursor(name, request.cursor);
    if (request.limit < 1) return { items: [], nextCursor: request.cursor };

    const batch = Math.min(MAX_BATCH, request.limit);
    const data = parseResponse(name, responseSchema, await fetchJson(name, context.http, searchUrl(apiUrl(), query, batch, cont)));
    if (data.error) throw new SourceError(`${name}: API error ${data.error.code}: ${data.error.info}`, undefined, false);
    // A search that matched nothing answers {"batchcomplete": true} with no query at all.
    if (!data.query && (data.batchcomplete === undefined || data.continue)) malformed(name, "missing query.pages");

    const outcomes = (data.query?.pages ?? []).map(toOutcome).sort((a, b) => a.index - b.index);
    const items = outcomes.flatMap((outcome) => ("item" in outcome ? [outcome.item] : [])).slice(0, request.limit);
    const dropped = outcomes.flatMap((outcome) => ("dropped" in outcome ? [outcome.dropped] : []));
    return { items, nextCursor: data.continue ? JSON.stringify(data.continue) : null, ...(dropped.length > 0 ? { dropped } : {}) };
  }

  return {
    id: options.id,
    adapter: "mediawiki",
    // Wikimedia API etiquette: one request at a time.
    politeness: { requestsPerSecond: 2, concurrency: 1 },
    name,
    description: options.description,
    homepage: options.homepage,
    category: "wikis",
    mediaTypes: ["image"],
    input: "query",
    safeSearch: false,
    search,
  };
}
