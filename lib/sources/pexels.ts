// Docs followed: Pexels API v1 (https://www.pexels.com/api/documentation/), response shapes as in the pexels crate docs (docs.rs/pexels) and pexels-javascript types.
import { z } from "zod";
import { defineApiSource, drop, type RecordResult } from "@/lib/sources/api-source";
import { kindPrefixedId, tagged } from "@/lib/sources/records";
import type { SearchRequest, SourceAdapter } from "@/lib/sources/types";

// Pexels photo search (/v1/search) and video search (/videos/search); for "both", photos
// first, then videos (the phases "photos" and "videos"). The key goes in the Authorization
// header; a refused key is answered with 401 or 403 (j-mnr/pexels-go's recorded refusal is a
// 403 "Access to this API has been disallowed"), the base's default key statuses. Everything on
// Pexels is under the Pexels License. There is no safe search parameter. A photo's item is its
// original ("src.original", the uploaded file); a video's the largest progressive MP4 (the
// video_files list also carries the HLS playlist, labelled file_type "video/mp4" but quality
// "hls" and a .m3u8 link, which is never taken). A video with no MP4 (only an HLS stream) is
// dropped with the reason, as is a record that does not have the fields the mapping reads.
//
// Recorded responses this is tested on: the Pexels documentation's verbatim photo search response
// (one photo; tests/fixtures/sources/pexels-recorded-search.provenance.md), and a video search and
// a single video recorded by the pexels-go client library for its tests
// (tests/fixtures/sources/pexels-recorded-video-search.provenance.md, pexels-recorded-video.provenance.md).

/** The most Pexels returns a page. */
const PAGE_SIZE = 80;
const LICENSE = "Pexels License";
const LICENSE_URL = "https://www.pexels.com/license/";

type Phase = "photos" | "videos";

// Photos and videos are told apart by the phase that fetched them: fetchPage tags each record
// with its kind, so one record schema parses both and a drop names the record as its item would.
const photoSchema = z.object({
  kind: z.literal("photo"),
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
  kind: z.literal("video"),
  id: z.number().int(),
  url: z.string(),
  image: z.string().nullish(),
  user: z.object({ name: z.string().nullish() }).nullish(),
  video_files: z.array(videoFileSchema),
});

const recordSchema = z.discriminatedUnion("kind", [photoSchema, videoSchema]);
type PexelsRecord = z.infer<typeof recordSchema>;

/** The page envelope; its records are parsed one by one. */
const pageFields = { page: z.number(), per_page: z.number(), total_results: z.number(), next_page: z.string().nullish() };
const photosSchema = z.object({ ...pageFields, photos: z.array(z.unknown()) });
const videosSchema = z.object({ ...pageFields, videos: z.array(z.unknown()) });

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

function toItem(record: PexelsRecord): RecordResult {
  const license = { license: LICENSE, licenseUrl: LICENSE_URL };
  if (record.kind === "photo") {
    return {
      remoteId: `photo-${record.id}`,
      mediaType: "image",
      mediaUrl: record.src.original,
      thumbnailUrl: record.src.medium ?? record.src.tiny ?? undefined,
      pageUrl: record.url,
      title: record.alt?.trim() || titleFromPageUrl(record.url),
      author: record.photographer ?? undefined,
      ...license,
    };
  }
  const remoteId = `video-${record.id}`;
  const file = largestMp4(record.video_files);
  if (!file) return drop(remoteId, "no MP4 file (only an HLS stream)");
  return {
    remoteId,
    mediaType: "video",
    mediaUrl: file.link,
    thumbnailUrl: record.image ?? undefined,
    pageUrl: record.url,
    title: titleFromPageUrl(record.url),
    author: record.user?.name ?? undefined,
    ...license,
  };
}

export function createPexels(options: { id: string; name: string; apiUrl: string | (() => string) }): SourceAdapter {
  return defineApiSource({
    entry: {
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
    },
    apiUrl: options.apiUrl,
    query: "text",
    firstPage: 1,
    phases: phasesFor,
    async fetchPage({ client, query, phase, page }) {
      const url = client.url(phase === "photos" ? "/v1/search" : "/videos/search", { query, per_page: PAGE_SIZE, page });
      const body = await client.json(url, { headers: { Authorization: client.key ?? "" } });
      if (phase === "photos") {
        const data = client.parse(photosSchema, body);
        return { records: data.photos.map((raw) => tagged(raw, "photo")), next: data.next_page ? page + 1 : null };
      }
      const data = client.parse(videosSchema, body);
      return { records: data.videos.map((raw) => tagged(raw, "video")), next: data.next_page ? page + 1 : null };
    },
    record: recordSchema,
    recordIdOf: kindPrefixedId,
    toItems: (record) => toItem(record),
  });
}
