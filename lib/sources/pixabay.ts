// Docs followed: Pixabay API (https://pixabay.com/api/docs/), response shapes as in the pixabay-api npm README and PixabaySharp models.
import { z } from "zod";

import { nextPagedCursor, parsePagedCursor } from "@/lib/sources/paged-cursor";
import { fetchKeyedJson, parseResponse, requireKey } from "@/lib/sources/source-http";
import { SourceError } from "@/lib/sources/types";
import type { DroppedRecord, SearchPage, SearchRequest, SourceAdapter, SourceContext, SourceItem } from "@/lib/sources/types";

// Pixabay image search (/api/) and video search (/api/videos/); for "both", photos first.
// The key goes in the "key" query parameter. totalHits is capped (500 observed), so paging
// stops there. The original-size image URLs need approved full API access; largeImageURL
// (up to 1280 px) is the largest every key gets; imageURL (the original) or fullHDURL (1920 px)
// is taken instead when the key has that access and the hit carries it. A video hit without
// any rendition is reported in SearchPage.dropped.
//
// Proven on a real recorded search response (three photo hits, 2020; see
// tests/fixtures/sources/pixabay-recorded-search.provenance.md). No recorded video search was found.

const NAME = "Pixabay";
const PAGE_SIZE = 100;
const LICENSE = "Pixabay Content License";
const LICENSE_URL = "https://pixabay.com/service/license-summary/";

type Phase = "images" | "videos";

const imageHitSchema = z.object({
  id: z.number().int(),
  pageURL: z.string(),
  tags: z.string().nullish(),
  previewURL: z.string().nullish(),
  webformatURL: z.string().nullish(),
  largeImageURL: z.string(),
  /** Only with full API access. */
  fullHDURL: z.string().nullish(),
  imageURL: z.string().nullish(),
  user: z.string().nullish(),
});

const renditionSchema = z.object({ url: z.string(), thumbnail: z.string().nullish() });

const videoHitSchema = z.object({
  id: z.number().int(),
  pageURL: z.string(),
  tags: z.string().nullish(),
  user: z.string().nullish(),
  videos: z.object({
    large: renditionSchema.nullish(),
    medium: renditionSchema.nullish(),
    small: renditionSchema.nullish(),
    tiny: renditionSchema.nullish(),
  }),
});

const pageFields = { total: z.number(), totalHits: z.number() };
const imagesSchema = z.object({ ...pageFields, hits: z.array(imageHitSchema) });
const videosSchema = z.object({ ...pageFields, hits: z.array(videoHitSchema) });

function phasesFor(request: SearchRequest): Phase[] {
  if (request.mediaTypes === "images") return ["images"];
  if (request.mediaTypes === "videos") return ["videos"];
  return ["images", "videos"];
}

/** Pixabay has no titles; its tags ("aurora, northern lights, night") stand in. */
function titleFromTags(tags: string | null | undefined) {
  return tags?.trim() || undefined;
}

function imageItem(hit: z.infer<typeof imageHitSchema>): SourceItem {
  return {
    remoteId: `image-${hit.id}`,
    mediaType: "image",
    mediaUrl: hit.imageURL || hit.fullHDURL || hit.largeImageURL,
    thumbnailUrl: hit.webformatURL ?? hit.previewURL ?? undefined,
    pageUrl: hit.pageURL,
    title: titleFromTags(hit.tags),
    author: hit.user ?? undefined,
    license: LICENSE,
    licenseUrl: LICENSE_URL,
  };
}

function videoItem(hit: z.infer<typeof videoHitSchema>): SourceItem | undefined {
  // "large" comes back with an empty URL when there is no large version.
  const { large, medium, small, tiny } = hit.videos;
  const rendition = [large, medium, small, tiny].find((r) => r && r.url !== "");
  if (!rendition) return undefined;
  return {
    remoteId: `video-${hit.id}`,
    mediaType: "video",
    mediaUrl: rendition.url,
    thumbnailUrl: rendition.thumbnail || undefined,
    pageUrl: hit.pageURL,
    title: titleFromTags(hit.tags),
    author: hit.user ?? undefined,
    license: LICENSE,
    licenseUrl: LICENSE_URL,
  };
}

export function createPixabay(options: { id: string; name: string; apiUrl: string | (() => string) }): SourceAdapter {
  const apiUrl = () => (typeof options.apiUrl === "function" ? options.apiUrl() : options.apiUrl).replace(/\/+$/, "");

  async function search(request: SearchRequest, context: SourceContext): Promise<SearchPage> {
    const key = requireKey(NAME, context);
    const query = request.query.trim();
    if (!query) throw new SourceError(`${NAME}: a search query is required`, undefined, false);
    const phases = phasesFor(request);
    const position = parsePagedCursor(NAME, request.cursor, phases, 1);
    if (request.limit < 1) return { items: [], nextCursor: request.cursor };

    const url = new URL(position.phase === "images" ? `${apiUrl()}/` : `${apiUrl()}/videos/`);
    url.searchParams.set("key", key);
    url.searchParams.set("q", query);
    if (position.phase === "images") url.searchParams.set("image_type", "photo");
    url.searchParams.set("safesearch", String(request.safeSearch));
    url.searchParams.set("per_page", String(PAGE_SIZE));
    url.searchParams.set("page", String(position.page));
    // Pixabay answers a bad key with 400 "[ERROR 400] Invalid API key".
    const body = await fetchKeyedJson(NAME, context.http, url.href, { keyStatuses: [400, 401, 403] });

    let found: SourceItem[];
    let dropped: DroppedRecord[] = [];
    let hits: number;
    let totalHits: number;
    if (position.phase === "images") {
      const data = parseResponse(NAME, imagesSchema, body);
      found = data.hits.map(imageItem);
      [hits, totalHits] = [data.hits.length, data.totalHits];
    } else {
      const data = parseResponse(NAME, videosSchema, body);
      found = data.hits.flatMap((hit) => videoItem(hit) ?? []);
      dropped = data.hits
        .filter((hit) => !found.some((item) => item.remoteId === `video-${hit.id}`))
        .map((hit) => ({ remoteId: `video-${hit.id}`, reason: "no video rendition with a URL" }));
      [hits, totalHits] = [data.hits.length, data.totalHits];
    }
    const items = found.slice(position.skip, position.skip + request.limit);
    const nextCursor = nextPagedCursor(position, {
      limit: request.limit,
      count: found.length,
      hasNextPage: hits > 0 && position.page * PAGE_SIZE < totalHits,
      phases,
      firstPage: 1,
    });
    // A page cut by the limit is fetched again with a skip: its drops were reported on the first visit.
    return { items, nextCursor, dropped: position.skip === 0 ? dropped : [] };
  }

  return {
    id: options.id,
    adapter: "pixabay",
    // Documented limit: 100 requests per 60 seconds per key.
    politeness: { requestsPerSecond: 1, concurrency: 1 },
    name: options.name,
    description: "Royalty-free photos and videos from Pixabay, under the Pixabay Content License.",
    homepage: "https://pixabay.com/",
    category: "stock",
    mediaTypes: ["image", "video"],
    input: "query",
    safeSearch: true,
    key: { label: "Pixabay API key", help: "Free: sign up at pixabay.com; the key is shown at https://pixabay.com/api/docs/." },
    search,
  };
}
