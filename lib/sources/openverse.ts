import { z } from "zod";
import { parsePositionCursor, nextPage, slicePage } from "@/lib/sources/position-cursor";
import { fetchJson, parseResponse } from "@/lib/sources/source-http";
import { SourceError } from "@/lib/sources/types";
import type { SearchPage, SearchRequest, SourceAdapter, SourceContext, SourceItem } from "@/lib/sources/types";
import { malformedRecord, type RecordOutcome } from "@/lib/sources/records";

// Openverse image search (https://api.openverse.org/v1/). Anonymous clients may ask for at
// most 20 results a page and 20 pages deep. Openverse indexes images and audio, no video.
// Each result offers one file, `url` (for Flickr the 1024 px "_b" size), with `filetype` when the
// catalog knows it. Openverse also indexes SVG drawings, which Trawl does not store (they can carry
// scripts): a result whose filetype or URL says SVG, or another format Trawl cannot store, is
// reported as a dropped record, as is a malformed one; the rest of the page is kept. Tested on a
// response recorded by Openverse's own frontend tests (tests/fixtures/sources/openverse-recorded-search.provenance.md).

const NAME = "Openverse";
const PAGE_SIZE = 20;
const MAX_PAGES = 20;

const resultSchema = z.object({
  id: z.string(),
  url: z.string(),
  thumbnail: z.string().nullish(),
  title: z.string().nullish(),
  creator: z.string().nullish(),
  license: z.string(),
  license_version: z.string().nullish(),
  license_url: z.string().nullish(),
  foreign_landing_url: z.string().nullish(),
  filetype: z.string().nullish(),
});
type Result = z.infer<typeof resultSchema>;

const responseSchema = z.object({
  result_count: z.number(),
  page_count: z.number(),
  page: z.number(),
  results: z.array(z.unknown()),
});

/** Openverse filetypes Trawl stores (lib/media/media-types.ts); others are dropped with a reason. */
const STORED_FILETYPES = new Set(["jpg", "jpeg", "png", "gif", "webp", "avif", "bmp", "tif", "tiff"]);

/** Why Trawl cannot store the result's file, or undefined when it can (or cannot tell). */
function unstorable(result: Result): string | undefined {
  const declared = result.filetype?.trim().toLowerCase() || undefined;
  const extension = URL.canParse(result.url) ? /\.([a-z0-9]+)$/i.exec(new URL(result.url).pathname)?.[1].toLowerCase() : undefined;
  if ((declared ?? extension) === "svg") return "an SVG drawing, which Trawl does not store";
  if (declared && !STORED_FILETYPES.has(declared)) return `a ${declared} file, which Trawl cannot store`;
  return undefined;
}

function toOutcome(raw: unknown): RecordOutcome {
  const parsed = resultSchema.safeParse(raw, { reportInput: true });
  if (!parsed.success) return { dropped: malformedRecord(raw, parsed.error) };
  const reason = unstorable(parsed.data);
  return reason ? { dropped: { remoteId: parsed.data.id, reason } } : { item: toItem(parsed.data) };
}

/** "by-sa" + "4.0" -> "CC BY-SA 4.0"; "cc0" -> "CC0 1.0"; "pdm" -> "Public Domain Mark 1.0". */
function licenseName(code: string, version: string | null | undefined) {
  const lower = code.toLowerCase();
  const name = lower === "pdm" ? "Public Domain Mark" : lower === "cc0" ? "CC0" : `CC ${lower.toUpperCase()}`;
  return version ? `${name} ${version}` : name;
}

function toItem(result: Result): SourceItem {
  return {
    remoteId: result.id,
    mediaType: "image",
    mediaUrl: result.url,
    thumbnailUrl: result.thumbnail ?? undefined,
    pageUrl: result.foreign_landing_url ?? undefined,
    title: result.title ?? undefined,
    author: result.creator ?? undefined,
    license: licenseName(result.license, result.license_version),
    licenseUrl: result.license_url ?? undefined,
  };
}

export function createOpenverse(options: { apiUrl: string | (() => string) }): SourceAdapter {
  const apiUrl = () => (typeof options.apiUrl === "function" ? options.apiUrl() : options.apiUrl).replace(/\/+$/, "");

  /** The cursor is the next page number, or "<page>:<results already returned>" when the limit cut a page. */
  async function search(request: SearchRequest, context: SourceContext): Promise<SearchPage> {
    if (request.mediaTypes === "videos") return { items: [], nextCursor: null };
    const query = request.query.trim();
    if (!query) throw new SourceError(`${NAME}: a search query is required`, undefined, false);
    const { index: page, skip } = parsePositionCursor(NAME, request.cursor, 1);
    if (page < 1 || page > MAX_PAGES) throw new SourceError(`${NAME}: invalid cursor "${request.cursor}"`, undefined, false);

    const url = new URL(`${apiUrl()}/images/`);
    url.searchParams.set("q", query);
    url.searchParams.set("page", String(page));
    url.searchParams.set("page_size", String(PAGE_SIZE));
    // "mature" (default false) includes results marked sensitive when true.
    url.searchParams.set("mature", request.safeSearch ? "false" : "true");
    const data = parseResponse(NAME, responseSchema, await fetchJson(NAME, context.http, url.href));

    const lastPage = Math.min(data.page_count, MAX_PAGES);
    const outcomes = data.results.map(toOutcome);
    const items = outcomes.flatMap((outcome) => ("item" in outcome ? [outcome.item] : []));
    // Reported once, on the call that starts the page (a resumed page was reported already).
    const dropped = skip === 0 ? outcomes.flatMap((outcome) => ("dropped" in outcome ? [outcome.dropped] : [])) : [];
    const slice = slicePage(items, { index: page, skip }, request.limit, nextPage(page, page < lastPage && data.results.length > 0));
    return { items: slice.items, nextCursor: slice.nextCursor, ...(dropped.length > 0 ? { dropped } : {}) };
  }

  return {
    id: "openverse",
    adapter: "openverse",
    // Anonymous clients are throttled hard (reported: about 1 request/second, 200/day).
    politeness: { requestsPerSecond: 1, concurrency: 1 },
    name: NAME,
    description: "Openly licensed images indexed by Openverse from Flickr, museums, Wikimedia and more.",
    homepage: "https://openverse.org/",
    category: "stock",
    mediaTypes: ["image"],
    input: "query",
    safeSearch: true,
    search,
  };
}
