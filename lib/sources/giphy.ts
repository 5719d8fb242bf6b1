// Docs followed: GIPHY API search endpoint (https://developers.giphy.com/docs/api/endpoint#search), SearXNG giphy.py response fields.
import { z } from "zod";
import { defineApiSource, drop, type RecordResult } from "@/lib/sources/api-source";
import type { SearchRequest, SourceAdapter } from "@/lib/sources/types";

// GIPHY GIF search, paged by offset (the cursor's page is the offset of the first GIF asked
// for, its skip the GIFs of that answer already handled). Every GIF also exists as an MP4: an
// images job gets the GIF, a videos job the MP4, and "both" the GIF (one file per GIF, in its
// own format). Safe search asks for rating g only. The MP4 is the largest one offered (GIPHY's
// rendition glossary, https://developers.giphy.com/docs/optional-settings/renditions-glossary/):
// "4k" (2160 to 3840 px on a side) when GIPHY has it, else "hd" (720 to 1920 px, both made from
// the uploaded source), else the original's MP4 (the size of the GIF, at most 480 px). A GIF
// without the file the job needs, or without the fields the mapping reads, is dropped with the
// reason. The key goes in the api_key parameter; GIPHY refuses a bad key with 401 or 403 (the
// base's default).
//
// Proven on a real recorded response: GIPHY's own giphy-js kept one as packages/components/public/gifs.json
// (2019; see tests/fixtures/sources/giphy-recorded-gifs-2019.provenance.md). It has no "4k"
// rendition; that one is covered by a hand-written record.

/** The most a search returns at once (beta keys). */
const MAX_LIMIT = 50;
/** GIPHY refuses offsets above 4999. */
const MAX_OFFSET = 4999;

const renditionSchema = z.object({ url: z.string().nullish(), mp4: z.string().nullish() });
/** An MP4 larger than the original GIF, for GIFs made from a video. */
const largeMp4Schema = z.object({ mp4: z.string().nullish() }).nullish();

const gifSchema = z.object({
  id: z.string(),
  url: z.string(),
  title: z.string().nullish(),
  username: z.string().nullish(),
  user: z.object({ display_name: z.string().nullish() }).nullish(),
  images: z.object({
    original: renditionSchema,
    "4k": largeMp4Schema,
    hd: largeMp4Schema,
    fixed_width_small: renditionSchema.nullish(),
    fixed_width: renditionSchema.nullish(),
  }),
});
type Gif = z.infer<typeof gifSchema>;

/** The page envelope; its GIFs are parsed one by one. */
const responseSchema = z.object({
  data: z.array(z.unknown()),
  pagination: z.object({ total_count: z.number(), count: z.number(), offset: z.number() }),
});

function toItem(gif: Gif, request: SearchRequest): RecordResult {
  const asVideo = request.mediaTypes === "videos";
  const { images } = gif;
  const mediaUrl = asVideo ? images["4k"]?.mp4 || images.hd?.mp4 || images.original.mp4 : images.original.url;
  if (!mediaUrl) return drop(gif.id, asVideo ? "no MP4 rendition" : "no GIF file");
  return {
    remoteId: gif.id,
    mediaType: asVideo ? "video" : "image",
    mediaUrl,
    thumbnailUrl: images.fixed_width_small?.url ?? images.fixed_width?.url ?? undefined,
    pageUrl: gif.url,
    title: gif.title?.trim() || undefined,
    author: gif.user?.display_name?.trim() || gif.username?.trim() || undefined,
  };
}

export function createGiphy(options: { id: string; name: string; apiUrl: string | (() => string) }): SourceAdapter {
  return defineApiSource({
    entry: {
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
    },
    apiUrl: options.apiUrl,
    query: "text",
    firstPage: 0,
    maxPage: MAX_OFFSET,
    async fetchPage({ client, request, query, page: offset }) {
      const url = client.url("/gifs/search", {
        api_key: client.key,
        q: query,
        limit: Math.min(MAX_LIMIT, request.limit),
        offset,
        rating: request.safeSearch ? "g" : "r",
      });
      const data = client.parse(responseSchema, await client.json(url));
      const next = offset + data.data.length;
      return { records: data.data, next: next < data.pagination.total_count ? next : null };
    },
    record: gifSchema,
    toItems: (gif, { request }) => toItem(gif, request),
  });
}
