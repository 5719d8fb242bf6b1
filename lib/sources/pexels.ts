// Docs followed: Pexels API v1 (https://www.pexels.com/api/documentation/), response shapes as in the pexels crate docs (docs.rs/pexels) and pexels-javascript types.
import { z } from "zod";

import { nextPagedCursor, parsePagedCursor } from "@/lib/sources/paged-cursor";
import { fetchKeyedJson, parseResponse, requireKey } from "@/lib/sources/source-http";
import { SourceError } from "@/lib/sources/types";
import type { DroppedRecord, SearchPage, SearchRequest, SourceAdapter, SourceContext, SourceItem } from "@/lib/sources/types";

// Pexels photo search (/v1/search) and video search (/videos/search); for "both", photos
// first, then videos. Everything on Pexels is under the Pexels License. There is no safe
// search parameter. A photo's item is its original ("src.original", the uploaded file); a
// video's the largest progressive MP4. A video with no MP4 (only an HLS stream) is reported in
// SearchPage.dropped.
//
// Proven on the Pexels documentation's verbatim photo search response (one photo; see
// tests/fixtures/sources/pexels-recorded-search.provenance.md). No recorded video search was found.

const NAME = "Pexels";
/** The most Pexels returns a page. */
const PAGE_SIZE = 80;
const LICENSE = "Pexels License";
const LICENSE_URL = "https://www.pexels.com/license/";

type Phase = "photos" | "videos";

const photoSchema = z.object({
  id: z.number().int(),
  url: z.string(),
  photographer: z.string().nullish(),
  alt: z.string().nullish(),
  src: z.object({ original: z.string(), medium: z.string().nullish(), tiny: z.string().nullish() }),
});

const videoFileSchema = z.object({
  quality: z.string().nullish(),
  file_type: z.string().nullish(),
  width: z.number().nullish(),
  height: z.number().nullish(),
  link: z.string(),
});

const videoSchema = z.object({
  id: z.number().int(),
  url: z.string(),
  image: z.string().nullish(),
  user: z.object({ name: z.string().nullish() }).nullish(),
  video_files: z.array(videoFileSchema),
});

const pageFields = { page: z.number(), per_page: z.number(), total_results: z.number(), next_page: z.string().nullish() };
const photosSchema = z.object({ ...pageFields, photos: z.array(photoSchema) });
const videosSchema = z.object({ ...pageFields, videos: z.array(videoSchema) });

function phasesFor(request: SearchRequest): Phase[] {
  if (request.mediaTypes === "images") return ["photos"];
  if (request.mediaTypes === "videos") return ["videos"];
  return ["photos", "videos"];
}

/** "https://www.pexels.com/video/seal-on-the-beach-1526909/" -> "Seal on the beach". */
function titleFromPageUrl(pageUrl: string) {
  if (!URL.canParse(pageUrl)) return undefined;
  const slug = new URL(pageUrl).pathname.split("/").filter(Boolean).pop() ?? "";
  const words = slug
    .replace(/-?\d+$/, "")
    .replace(/-/g, " ")
    .trim();
  return words ? words[0].toUpperCase() + words.slice(1) : undefined;
}

/** The largest progressive MP4 (HLS playlists are listed too, as quality "hls"). */
function largestMp4(files: z.infer<typeof videoFileSchema>[]) {
  const mp4s = files.filter((f) => f.file_type === "video/mp4" && f.quality !== "hls" && !/\.m3u8(\?|$)/.test(f.link));
  const area = (f: z.infer<typeof videoFileSchema>) => (f.width ?? 0) * (f.height ?? 0);
  return mp4s.reduce<(typeof mp4s)[number] | undefined>((best, f) => (best === undefined || area(f) > area(best) ? f : best), undefined);
}

function photoItem(photo: z.infer<typeof photoSchema>): SourceItem {
  return {
    remoteId: `photo-${photo.id}`,
    mediaType: "image",
    mediaUrl: photo.src.original,
    thumbnailUrl: photo.src.medium ?? photo.src.tiny ?? undefined,
    pageUrl: photo.url,
    title: photo.alt?.trim() || titleFromPageUrl(photo.url),
    author: photo.photographer ?? undefined,
    license: LICENSE,
    licenseUrl: LICENSE_URL,
  };
}

function videoItem(video: z.infer<typeof videoSchema>): SourceItem | undefined {
  const file = largestMp4(video.video_files);
  if (!file) return undefined;
  return {
    remoteId: `video-${video.id}`,
    mediaType: "video",
    mediaUrl: file.link,
    thumbnailUrl: video.image ?? undefined,
    pageUrl: video.url,
    title: titleFromPageUrl(video.url),
    author: video.user?.name ?? undefined,
    license: LICENSE,
    licenseUrl: LICENSE_URL,
  };
}

export function createPexels(options: { id: string; name: string; apiUrl: string | (() => string) }): SourceAdapter {
  const apiUrl = () => (typeof options.apiUrl === "function" ? options.apiUrl() : options.apiUrl).replace(/\/+$/, "");

  async function search(request: SearchRequest, context: SourceContext): Promise<SearchPage> {
    const key = requireKey(NAME, context);
    const query = request.query.trim();
    if (!query) throw new SourceError(`${NAME}: a search query is required`, undefined, false);
    const phases = phasesFor(request);
    const position = parsePagedCursor(NAME, request.cursor, phases, 1);
    if (request.limit < 1) return { items: [], nextCursor: request.cursor };

    const url = new URL(position.phase === "photos" ? `${apiUrl()}/v1/search` : `${apiUrl()}/videos/search`);
    url.searchParams.set("query", query);
    url.searchParams.set("per_page", String(PAGE_SIZE));
    url.searchParams.set("page", String(position.page));
    const body = await fetchKeyedJson(NAME, context.http, url.href, { headers: { Authorization: key } });

    let found: SourceItem[];
    const dropped: DroppedRecord[] = [];
    let hasNextPage: boolean;
    if (position.phase === "photos") {
      const data = parseResponse(NAME, photosSchema, body);
      found = data.photos.map(photoItem);
      hasNextPage = Boolean(data.next_page) && data.photos.length > 0;
    } else {
      const data = parseResponse(NAME, videosSchema, body);
      found = [];
      for (const video of data.videos) {
        const item = videoItem(video);
        if (item) found.push(item);
        else dropped.push({ remoteId: `video-${video.id}`, reason: "no MP4 file (only an HLS stream)" });
      }
      hasNextPage = Boolean(data.next_page) && data.videos.length > 0;
    }
    const items = found.slice(position.skip, position.skip + request.limit);
    const nextCursor = nextPagedCursor(position, {
      limit: request.limit,
      count: found.length,
      hasNextPage,
      phases,
      firstPage: 1,
    });
    // A page cut by the limit is fetched again with a skip: its drops were reported on the first visit.
    return { items, nextCursor, dropped: position.skip === 0 ? dropped : [] };
  }

  return {
    id: options.id,
    adapter: "pexels",
    // The documented quota is 200 requests an hour (20,000 a month); pacing to it (0.05 rps)
    // would stall every job, so requests go out at 1/s and 429s carry Retry-After.
    politeness: { requestsPerSecond: 1, concurrency: 1 },
    name: options.name,
    description: "Free stock photos and videos from Pexels photographers, under the Pexels License.",
    homepage: "https://www.pexels.com/",
    category: "stock",
    mediaTypes: ["image", "video"],
    input: "query",
    safeSearch: false,
    key: { label: "Pexels API key", help: "Free: create an account and request a key at https://www.pexels.com/api/new/." },
    search,
  };
}
