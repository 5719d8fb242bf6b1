// Docs followed: PeerTube REST API (https://docs.joinpeertube.org/api-rest-reference.html: searchVideos, getVideo), SearXNG peertube.py, yt-dlp peertube.py.
import { z } from "zod";
import { formatPositionCursor, parsePositionCursor } from "@/lib/sources/position-cursor";
import { fetchJson, parseResponse } from "@/lib/sources/source-http";
import { SourceError } from "@/lib/sources/types";
import type { DroppedRecord, SearchPage, SearchRequest, SourceAdapter, SourceContext, SourceItem } from "@/lib/sources/types";

// PeerTube video search, on one instance or on SepiaSearch (the global index, same API and
// result schema). Search results carry no file URLs, so each hit is looked up with
// GET /api/v1/videos/{uuid} — on the instance itself, or for SepiaSearch on the video's home
// instance (the origin of its url) — and the best direct MP4 is taken from files[] (web
// videos) or streamingPlaylists[].files[] (HLS renditions, also plain MP4 files). Every hit
// that yields no item is reported in SearchPage.dropped: sensitive under safe search, live
// streams, videos gone since they were indexed, videos with no downloadable file.
//
// Proven on real recorded responses, kept by NewPipeExtractor's tests (2025): a tilvids.com
// search and the HLS-only detail of one of its hits; see
// tests/fixtures/sources/peertube-recorded-tilvids.provenance.md.

/** Results per search call; each one costs a detail request. */
const MAX_COUNT = 20;
/** The rendition downloaded: the largest at or below this height, else the smallest above. */
const PREFERRED_MAX_HEIGHT = 1080;

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

const searchSchema = z.object({ total: z.number(), data: z.array(resultSchema) });

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

/** The downloadable MP4 of a video: files with sound first, web videos before HLS at equal height. */
export function bestFile(video: Video): string | undefined {
  const all = [
    ...(video.files ?? []).map((file) => ({ file, hls: false })),
    ...(video.streamingPlaylists ?? []).flatMap((playlist) => (playlist.files ?? []).map((file) => ({ file, hls: true }))),
  ].filter(({ file }) => file.resolution.id > 0 && file.hasVideo !== false && urlOf(file));
  const withSound = all.filter(({ file }) => file.hasAudio !== false);
  const candidates = withSound.length > 0 ? withSound : all;
  const height = ({ file }: { file: VideoFile }) => file.resolution.id;
  const within = candidates
    .filter((c) => height(c) <= PREFERRED_MAX_HEIGHT)
    .sort((a, b) => height(b) - height(a) || Number(a.hls) - Number(b.hls));
  const above = candidates
    .filter((c) => height(c) > PREFERRED_MAX_HEIGHT)
    .sort((a, b) => height(a) - height(b) || Number(a.hls) - Number(b.hls));
  const chosen = within[0] ?? above[0];
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

export function createPeerTube(options: PeerTubeOptions): SourceAdapter {
  const { name } = options;
  const apiUrl = () => (typeof options.apiUrl === "function" ? options.apiUrl() : options.apiUrl).replace(/\/+$/, "");

  /** The details of a video; undefined when its instance says it no longer exists. */
  async function details(base: string, uuid: string, context: SourceContext): Promise<Video | undefined> {
    try {
      return parseResponse(name, videoSchema, await fetchJson(name, context.http, `${base}/api/v1/videos/${encodeURIComponent(uuid)}`));
    } catch (error) {
      // A hit deleted (or made private) since it was indexed: an answer about the video, not a failure.
      if (error instanceof SourceError && (error.status === 404 || error.status === 410)) return undefined;
      throw error;
    }
  }

  async function toItem(result: Result, request: SearchRequest, base: string, context: SourceContext): Promise<SourceItem | DroppedRecord> {
    const drop = (reason: string): DroppedRecord => ({ remoteId: result.uuid, reason });
    if (request.safeSearch && result.nsfw) return drop("marked sensitive (safe search is on)");
    if (result.isLive) return drop("a live stream (no file to download)");
    const home = options.index ? instanceOf(result.url ?? "") : base;
    if (!home) throw new SourceError(`${name}: malformed response (result ${result.uuid} has no watch url)`, undefined, false);
    const video = await details(home, result.uuid, context);
    if (!video) return drop("no longer on its instance (deleted or made private since it was indexed)");
    const mediaUrl = bestFile(video);
    if (!mediaUrl) return drop("no downloadable video file (no MP4 with a picture)");
    const thumbnail = result.thumbnailUrl ?? (result.thumbnailPath ? `${home}${result.thumbnailPath}` : undefined);
    return {
      remoteId: result.uuid,
      mediaType: "video",
      mediaUrl,
      pageUrl: video.url ?? result.url ?? `${home}/w/${result.uuid}`,
      thumbnailUrl: thumbnail,
      title: result.name,
      author: result.account?.displayName ?? undefined,
      license: video.licence?.id != null ? (video.licence.label ?? undefined) : undefined,
    };
  }

  /** The cursor is the offset ("start") of the next search call. */
  async function search(request: SearchRequest, context: SourceContext): Promise<SearchPage> {
    if (request.mediaTypes === "images") return { items: [], nextCursor: null };
    const query = request.query.trim();
    if (!query) throw new SourceError(`${name}: a search query is required`, undefined, false);
    const { index: start, skip } = parsePositionCursor(name, request.cursor, 0);
    if (skip !== 0) throw new SourceError(`${name}: invalid cursor "${request.cursor}"`, undefined, false);
    if (request.limit < 1) return { items: [], nextCursor: request.cursor };

    const base = apiUrl();
    const url = new URL(`${base}/api/v1/search/videos`);
    url.searchParams.set("search", query);
    url.searchParams.set("start", String(start));
    url.searchParams.set("count", String(Math.min(MAX_COUNT, request.limit)));
    url.searchParams.set("sort", "-match");
    // "false" hides videos their uploader marked sensitive; "both" includes them.
    url.searchParams.set("nsfw", request.safeSearch ? "false" : "both");
    const data = parseResponse(name, searchSchema, await fetchJson(name, context.http, url.href));

    const items: SourceItem[] = [];
    const dropped: DroppedRecord[] = [];
    // One at a time: the politeness gate spaces the detail calls anyway.
    for (const result of data.data) {
      const found = await toItem(result, request, base, context);
      if ("mediaUrl" in found) items.push(found);
      else dropped.push(found);
    }
    const next = start + data.data.length;
    return {
      items,
      nextCursor: data.data.length > 0 && next < data.total ? formatPositionCursor({ index: next, skip: 0 }) : null,
      dropped,
    };
  }

  return {
    id: options.id,
    adapter: "peertube",
    // PeerTube's default API limit is 50 requests per 10 s per client; stay well below it.
    politeness: { requestsPerSecond: 2, concurrency: 2 },
    name,
    description: options.description,
    homepage: options.homepage,
    category: "video",
    mediaTypes: ["video"],
    input: "query",
    safeSearch: true,
    search,
  };
}
