// Docs followed: GIPHY API search endpoint (https://developers.giphy.com/docs/api/endpoint#search), SearXNG giphy.py response fields.
import { z } from "zod";

import { parsePositionCursor } from "@/lib/sources/position-cursor";
import { fetchKeyedJson, parseResponse, requireKey } from "@/lib/sources/source-http";
import { SourceError } from "@/lib/sources/types";
import type { DroppedRecord, SearchPage, SearchRequest, SourceAdapter, SourceContext, SourceItem } from "@/lib/sources/types";

// GIPHY GIF search, paged by offset (the cursor is the next offset). Every GIF also exists
// as an MP4: an images job gets the GIF, a videos job the MP4, and "both" the GIF (one file
// per GIF, in its own format). Safe search asks for rating g only. The MP4 is the largest one
// offered: "hd" (up to 1280 px, made from the uploaded source) when GIPHY has it, else the
// original's MP4 (the size of the GIF). A GIF without the file the job needs is reported in
// SearchPage.dropped.
//
// Proven on a real recorded response: GIPHY's own giphy-js kept one as packages/components/public/gifs.json
// (2019; see tests/fixtures/sources/giphy-recorded-gifs-2019.provenance.md).

const NAME = "GIPHY";
/** The most a search returns at once (beta keys). */
const MAX_LIMIT = 50;
/** GIPHY refuses offsets above 4999. */
const MAX_OFFSET = 4999;

const renditionSchema = z.object({ url: z.string().nullish(), mp4: z.string().nullish() });

const gifSchema = z.object({
  id: z.string(),
  url: z.string(),
  title: z.string().nullish(),
  username: z.string().nullish(),
  user: z.object({ display_name: z.string().nullish() }).nullish(),
  images: z.object({
    original: renditionSchema,
    /** An MP4 larger than the original GIF, for GIFs made from a video. */
    hd: z.object({ mp4: z.string().nullish() }).nullish(),
    fixed_width_small: renditionSchema.nullish(),
    fixed_width: renditionSchema.nullish(),
  }),
});

const responseSchema = z.object({
  data: z.array(gifSchema),
  pagination: z.object({ total_count: z.number(), count: z.number(), offset: z.number() }),
});

function toItem(gif: z.infer<typeof gifSchema>, request: SearchRequest): SourceItem | DroppedRecord {
  const asVideo = request.mediaTypes === "videos";
  const mediaUrl = asVideo ? gif.images.hd?.mp4 || gif.images.original.mp4 : gif.images.original.url;
  if (!mediaUrl) return { remoteId: gif.id, reason: asVideo ? "no MP4 rendition" : "no GIF file" };
  return {
    remoteId: gif.id,
    mediaType: asVideo ? "video" : "image",
    mediaUrl,
    thumbnailUrl: gif.images.fixed_width_small?.url ?? gif.images.fixed_width?.url ?? undefined,
    pageUrl: gif.url,
    title: gif.title?.trim() || undefined,
    author: gif.user?.display_name?.trim() || gif.username?.trim() || undefined,
  };
}

export function createGiphy(options: { id: string; name: string; apiUrl: string | (() => string) }): SourceAdapter {
  const apiUrl = () => (typeof options.apiUrl === "function" ? options.apiUrl() : options.apiUrl).replace(/\/+$/, "");

  async function search(request: SearchRequest, context: SourceContext): Promise<SearchPage> {
    const key = requireKey(NAME, context);
    const query = request.query.trim();
    if (!query) throw new SourceError(`${NAME}: a search query is required`, undefined, false);
    const { index: offset, skip } = parsePositionCursor(NAME, request.cursor, 0);
    if (skip !== 0 || offset > MAX_OFFSET) throw new SourceError(`${NAME}: invalid cursor "${request.cursor}"`, undefined, false);
    if (request.limit < 1) return { items: [], nextCursor: request.cursor };

    const url = new URL(`${apiUrl()}/gifs/search`);
    url.searchParams.set("api_key", key);
    url.searchParams.set("q", query);
    url.searchParams.set("limit", String(Math.min(MAX_LIMIT, request.limit)));
    url.searchParams.set("offset", String(offset));
    url.searchParams.set("rating", request.safeSearch ? "g" : "r");
    const data = parseResponse(NAME, responseSchema, await fetchKeyedJson(NAME, context.http, url.href));

    const results = data.data.map((gif) => toItem(gif, request));
    const items = results.filter((r): r is SourceItem => "mediaUrl" in r).slice(0, request.limit);
    const dropped = results.filter((r): r is DroppedRecord => !("mediaUrl" in r));
    const next = offset + data.data.length;
    const more = data.data.length > 0 && next < data.pagination.total_count && next <= MAX_OFFSET;
    return { items, nextCursor: more ? String(next) : null, dropped };
  }

  return {
    id: options.id,
    adapter: "giphy",
    // Beta keys are limited to about 100 requests an hour; production keys get more.
    politeness: { requestsPerSecond: 1, concurrency: 1 },
    name: options.name,
    description: "Animated GIFs from GIPHY, as GIF images or as MP4 videos.",
    homepage: "https://giphy.com/",
    category: "stock",
    mediaTypes: ["image", "video"],
    input: "query",
    safeSearch: true,
    key: { label: "GIPHY API key", help: "Free: create an app at https://developers.giphy.com/dashboard/ and copy its API key." },
    search,
  };
}
