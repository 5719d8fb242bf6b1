// Docs followed: PeerTube REST API (https://docs.joinpeertube.org/api-rest-reference.html: searchVideos, getVideo), SearXNG peertube.py, yt-dlp peertube.py.
import { z } from "zod";
import { defineApiSource, drop, type RecordResult } from "@/lib/sources/api-source";
import type { SourceClient } from "@/lib/sources/source-client";
import type { SourceAdapter } from "@/lib/sources/types";

// PeerTube video search, on one instance or on SepiaSearch (the global index, same API and
// result schema). Search results carry no file URLs, so each hit is looked up with
// GET /api/v1/videos/{uuid} — on the instance itself, or for SepiaSearch on the video's home
// instance (the origin of its url) — and the largest direct MP4 is taken from files[] (web
// videos) or streamingPlaylists[].files[] (HLS renditions, also plain MP4 files). Every hit
// that yields no item is reported in SearchPage.dropped: sensitive under safe search, live
// streams, videos gone since they were indexed (the lookup answers 404 or 410), videos with
// no downloadable file. A lookup that answers anything else malformed fails the page.
//
// Proven on real recorded responses, kept by NewPipeExtractor's tests (2025): a tilvids.com
// search and the HLS-only detail of one of its hits; see
// tests/fixtures/sources/peertube-recorded-tilvids.provenance.md.

/** Results per search call; each one costs a detail request. */
const MAX_COUNT = 20;

const resultSchema = z.object({
  uuid: z.string().min(1),
  name: z.string(),
  url: z.string().nullish(),
  nsfw: z.boolean().optional(),
  isLive: z.boolean().optional(),
  thumbnailPath: z.string().nullish(),
  /** SepiaSearch gives absolute thumbnail URLs. */
  thumbnailUrl: z.string().nullish(),
  account: z.object({ displayName: z.string().nullish() }).nullish(),
});
type Result = z.infer<typeof resultSchema>;

/** Hits are checked one by one, so one malformed hit does not fail the page. */
const searchSchema = z.object({ total: z.number(), data: z.array(z.unknown()) });

const fileSchema = z.object({
  resolution: z.object({ id: z.number(), label: z.string().nullish() }),
  fileUrl: z.string().nullish(),
  fileDownloadUrl: z.string().nullish(),
  /** PeerTube 7 may store audio and video apart; a file without audio is not a whole video. */
  hasAudio: z.boolean().optional(),
  hasVideo: z.boolean().optional(),
});
type VideoFile = z.infer<typeof fileSchema>;

const videoSchema = z.object({
  uuid: z.string(),
  url: z.string().nullish(),
  files: z.array(fileSchema).nullish(),
  streamingPlaylists: z.array(z.object({ files: z.array(fileSchema).nullish() })).nullish(),
  licence: z.object({ id: z.number().nullable(), label: z.string().nullish() }).nullish(),
});
type Video = z.infer<typeof videoSchema>;

/** The downloadable MP4 of a video: the largest, files with sound first, web videos before HLS at equal height. */
export function bestFile(video: Video): string | undefined {
  const all = [
    ...(video.files ?? []).map((file) => ({ file, hls: false })),
    ...(video.streamingPlaylists ?? []).flatMap((playlist) => (playlist.files ?? []).map((file) => ({ file, hls: true }))),
  ].filter(({ file }) => file.resolution.id > 0 && file.hasVideo !== false && urlOf(file));
  const withSound = all.filter(({ file }) => file.hasAudio !== false);
  const candidates = withSound.length > 0 ? withSound : all;
  const [chosen] = candidates.sort((a, b) => b.file.resolution.id - a.file.resolution.id || Number(a.hls) - Number(b.hls));
  return chosen ? urlOf(chosen.file) : undefined;
}

function urlOf(file: VideoFile) {
  return file.fileUrl || file.fileDownloadUrl || undefined;
}

/** "https://host/videos/watch/<uuid>" or "https://host/w/<id>" -> "https://host". */
function instanceOf(watchUrl: string): string | undefined {
  const match = /^(https?:\/\/[^?#]+?)\/(?:videos\/watch|w)\/[^/?#]+\/?$/.exec(watchUrl);
  return match?.[1];
}

export interface PeerTubeOptions {
  id: string;
  name: string;
  description: string;
  homepage: string;
  apiUrl: string | (() => string);
  /** A search index (SepiaSearch): look each video up on its own instance. */
  index?: boolean;
}

/** A hit -> its item (after a lookup of its files), or why it has none. */
async function toItem(result: Result, client: SourceClient, safeSearch: boolean, index: boolean): Promise<RecordResult> {
  if (safeSearch && result.nsfw) return drop(result.uuid, "marked sensitive (safe search is on)");
  if (result.isLive) return drop(result.uuid, "a live stream (no file to download)");
  const home = index ? instanceOf(result.url ?? "") : client.base;
  if (!home) return client.malformed(`result ${result.uuid} has no watch url`);
  // A hit deleted (or made private) since it was indexed answers 404 or 410: only that hit is dropped.
  const detail = await client.json(`${home}/api/v1/videos/${encodeURIComponent(result.uuid)}`, {
    gone: "no longer on its instance, deleted or made private since it was indexed",
  });
  const video = client.parse(videoSchema, detail);
  const mediaUrl = bestFile(video);
  if (!mediaUrl) return drop(result.uuid, "no downloadable video file (no MP4 with a picture)");
  return {
    remoteId: result.uuid,
    mediaType: "video",
    mediaUrl,
    pageUrl: video.url ?? result.url ?? `${home}/w/${result.uuid}`,
    thumbnailUrl: result.thumbnailUrl ?? (result.thumbnailPath ? `${home}${result.thumbnailPath}` : undefined),
    title: result.name,
    author: result.account?.displayName ?? undefined,
    license: video.licence?.id != null ? (video.licence.label ?? undefined) : undefined,
  };
}

export function createPeerTube(options: PeerTubeOptions): SourceAdapter {
  return defineApiSource({
    entry: {
      id: options.id,
      adapter: "peertube",
      // PeerTube's default API limit is 50 requests per 10 s per client; stay well below it.
      politeness: { requestsPerSecond: 2, concurrency: 2 },
      name: options.name,
      description: options.description,
      homepage: options.homepage,
      category: "video",
      mediaTypes: ["video"],
      input: "query",
      safeSearch: true,
    },
    apiUrl: options.apiUrl,
    query: "text",
    // The page is the offset ("start") of a search call; it asks for no more hits than the limit.
    firstPage: 0,
    // One lookup at a time: the politeness gate spaces the detail calls anyway.
    recordConcurrency: 1,
    async fetchPage({ client, request, query, page: start }) {
      const url = client.url("/api/v1/search/videos", {
        search: query,
        start,
        count: Math.min(MAX_COUNT, request.limit),
        sort: "-match",
        // "false" hides videos their uploader marked sensitive; "both" includes them.
        nsfw: request.safeSearch ? "false" : "both",
      });
      const { total, data } = client.parse(searchSchema, await client.json(url));
      const next = start + data.length;
      return { records: data, next: next < total ? next : null };
    },
    record: resultSchema,
    recordIdOf: (raw) => {
      const uuid = typeof raw === "object" && raw !== null ? (raw as { uuid?: unknown }).uuid : undefined;
      return typeof uuid === "string" ? uuid : undefined;
    },
    toItems: (result, { client, request }) => toItem(result, client, request.safeSearch, options.index === true),
  });
}
