// Docs followed: Reddit API (https://www.reddit.com/dev/api#GET_search), SearXNG reddit.py, gallery-dl reddit.py (galleries via media_metadata, i.redd.it originals).
import { z } from "zod";
import { defineApiSource, drop, type RecordResult } from "@/lib/sources/api-source";
import { mediaTypeFromExtension } from "@/lib/sources/media-kinds";
import type { MediaType, SearchRequest, SourceAdapter } from "@/lib/sources/types";

// Reddit's public JSON search (logged out): link posts matching the query, newest listing
// cursor in data.after. Media come from the post (or the post it crossposts): galleries
// (gallery_data + media_metadata), Reddit-hosted video (media.reddit_video.fallback_url — the
// video track only, Reddit serves the sound separately), direct images (i.redd.it,
// i.imgur.com, or preview.images[0].source for image posts) and, for links to animations
// hosted elsewhere (imgur .gifv, gfycat: post_hint "link" or "rich:video"), the MP4 Reddit
// transcoded for its preview (preview.reddit_video_preview.fallback_url, else the mp4 variant
// of the preview image). URLs inside the JSON are HTML-escaped (&amp;). A crosspost's media are
// the original post's, and so is the author reported for them (the crossposter only shared them).
//
// Nothing is left out silently: every post of a listing page (and every gallery entry) that
// yields no item is reported in SearchPage.dropped, with why. That includes text posts and
// links to web pages, which have no media at all: the rule is simply "each post becomes items
// or dropped records", so the job log accounts for the whole page. Also reported: gallery
// entries Reddit failed to process, and posts or media the request filters out (safe search,
// media type), and a malformed post (the rest of the page is kept). A gallery is handed back
// whole, so a call may return a few more items than its limit. The cursor is Reddit's own
// "after" token ("~t3_abc").
//
// Proven on a real recorded response: a front page of 100 posts (GET /best, the same Listing of
// t3 posts as search.json) recorded by PRAW's tests in 2018; see
// tests/fixtures/sources/reddit-best-praw-2018.provenance.md.

const PAGE_SIZE = 100;

const mediaMetadataSchema = z.object({
  status: z.string(),
  /** "Image" or "AnimatedImage". */
  e: z.string().optional(),
  /** MIME type of the original, e.g. "image/jpg". */
  m: z.string().optional(),
  s: z.object({ u: z.string().optional(), gif: z.string().optional(), mp4: z.string().optional() }).optional(),
});

const redditVideoSchema = z.object({ reddit_video: z.object({ fallback_url: z.string() }).optional() }).nullish();

const previewSchema = z.object({
  images: z.array(
    z.object({
      source: z.object({ url: z.string() }),
      variants: z.object({ mp4: z.object({ source: z.object({ url: z.string() }) }).nullish() }).nullish(),
    }),
  ),
  /** Reddit's own MP4 of an animation hosted elsewhere (imgur .gifv, gfycat). */
  reddit_video_preview: z.object({ fallback_url: z.string().nullish() }).nullish(),
});

const mediaFields = {
  url: z.string().nullish(),
  domain: z.string().nullish(),
  post_hint: z.string().nullish(),
  is_self: z.boolean().nullish(),
  is_gallery: z.boolean().nullish(),
  preview: previewSchema.nullish(),
  media: redditVideoSchema,
  secure_media: redditVideoSchema,
  media_metadata: z.record(z.string(), mediaMetadataSchema).nullish(),
  gallery_data: z.object({ items: z.array(z.object({ media_id: z.string() })) }).nullish(),
};
const mediaSchema = z.object({ ...mediaFields, author: z.string().nullish() });
type Media = z.infer<typeof mediaSchema>;

const postSchema = z.object({
  ...mediaFields,
  id: z.string(),
  title: z.string(),
  author: z.string(),
  permalink: z.string(),
  over_18: z.boolean(),
  thumbnail: z.string().nullish(),
  crosspost_parent_list: z.array(mediaSchema).nullish(),
});

/** A listing entry; posts ("t3") are checked one by one, so one malformed post does not fail the page. */
const childSchema = z.object({ kind: z.string(), data: postSchema });
type Child = z.infer<typeof childSchema>;

const responseSchema = z.object({
  data: z.object({
    after: z.string().nullable(),
    children: z.array(z.unknown()),
  }),
});

interface Found {
  key: string;
  type: MediaType;
  url: string;
}

/** What a post yields: its media, and the entries left out with why. */
interface Extracted {
  found: Found[];
  dropped: { key: string; reason: string }[];
}

/** Undoes the HTML escaping Reddit applies to strings in its JSON. */
export function unescapeHtml(text: string) {
  return text.replace(
    /&(amp|lt|gt|quot|#39);/g,
    (_, entity: string) => ({ amp: "&", lt: "<", gt: ">", quot: '"', "#39": "'" })[entity] ?? "",
  );
}

function typeOfUrl(url: string | null | undefined): MediaType | undefined {
  if (!url || !/^https?:\/\//.test(url)) return undefined;
  return mediaTypeFromExtension(url);
}

/** "image/jpg" -> "jpg", "image/png" -> "png". */
function extensionOf(mime: string | undefined) {
  const match = /^image\/([a-z0-9]+)$/i.exec(mime ?? "");
  return match?.[1].toLowerCase();
}

function galleryMedia(media: Media): Extracted {
  const metadata = media.media_metadata ?? {};
  const result: Extracted = { found: [], dropped: [] };
  for (const { media_id: id } of media.gallery_data?.items ?? []) {
    const found = galleryItem(id, metadata[id]);
    if (typeof found === "string") result.dropped.push({ key: id, reason: found });
    else result.found.push(found);
  }
  return result;
}

/** A gallery entry's media, or why it has none. */
function galleryItem(id: string, meta: z.infer<typeof mediaMetadataSchema> | undefined): Found | string {
  if (!meta) return "a gallery entry without metadata";
  if (meta.status !== "valid") return `a gallery entry Reddit has not processed (status ${meta.status})`;
  if (meta.e === "AnimatedImage") {
    if (meta.s?.gif) return { key: id, type: "image", url: unescapeHtml(meta.s.gif) };
    return meta.s?.mp4 ? { key: id, type: "video", url: unescapeHtml(meta.s.mp4) } : "an animated gallery entry without a file";
  }
  // The original file lives on i.redd.it under the media id; s.u is a full-size preview.
  const ext = extensionOf(meta.m);
  if (ext) return { key: id, type: "image", url: `https://i.redd.it/${id}.${ext}` };
  return meta.s?.u ? { key: id, type: "image", url: unescapeHtml(meta.s.u) } : "a gallery entry without a file";
}

/** The host a link post points at, for the log ("www." left off); undefined for links within Reddit. */
function linkHost(media: Media) {
  const url = media.url ? unescapeHtml(media.url) : "";
  if (!URL.canParse(url) || !/^https?:\/\//.test(url)) return media.domain ?? undefined;
  return new URL(url).hostname.replace(/^www\./, "");
}

/** Why a post without media yields nothing. */
function noMediaReason(media: Media) {
  if (media.is_self || media.post_hint === "self") return "a text post";
  const host = linkHost(media);
  return host ? `no direct media file (a link to ${host})` : "no direct media file";
}

function mediaOf(media: Media): Extracted {
  const one = (type: MediaType, url: string): Extracted => ({ found: [{ key: "", type, url }], dropped: [] });
  if (media.gallery_data && media.media_metadata) return galleryMedia(media);
  const video = media.secure_media?.reddit_video ?? media.media?.reddit_video;
  if (video) return one("video", unescapeHtml(video.fallback_url));
  const url = media.url ? unescapeHtml(media.url) : undefined;
  if (url && typeOfUrl(url) === "image") return one("image", url);
  const image = media.preview?.images[0];
  if (media.post_hint === "image" && image) return one("image", unescapeHtml(image.source.url));
  // A link to an animation hosted elsewhere (imgur .gifv, gfycat): Reddit's MP4 of it.
  const previewVideo = media.preview?.reddit_video_preview?.fallback_url ?? image?.variants?.mp4?.source.url;
  if (previewVideo) return one("video", unescapeHtml(previewVideo));
  return { found: [], dropped: [{ key: "", reason: noMediaReason(media) }] };
}

/** "u/name", or undefined for a deleted account. */
function authorOf(name: string | null | undefined) {
  return name && name !== "[deleted]" ? `u/${name}` : undefined;
}

/** A listing entry -> its items (one per medium), or why (for the post, or for each gallery entry) there is none. */
function toItems({ kind, data: post }: Child, request: SearchRequest, site: string): RecordResult {
  if (kind !== "t3") return drop(post.id, `a listing entry of kind ${kind}, not a post`);
  const idOf = (key: string) => (key ? `${post.id}:${key}` : post.id);
  if (request.safeSearch && post.over_18) return drop(post.id, "marked over 18 (safe search is on)");
  const original = post.crosspost_parent_list?.[0];
  const { found, dropped } = mediaOf(original ?? post);
  const preview = post.preview?.images[0]?.source.url;
  const thumbnail = preview ? unescapeHtml(preview) : post.thumbnail && /^https?:\/\//.test(post.thumbnail) ? post.thumbnail : undefined;
  // A crosspost's media belong to the original post's author; the crossposter when Reddit does not say who that is.
  const author = original?.author ? authorOf(original.author) : authorOf(post.author);
  return [
    ...found.map((media) => ({
      remoteId: idOf(media.key),
      mediaType: media.type,
      mediaUrl: media.url,
      // A gallery's own images are better thumbnails than the post's first preview.
      thumbnailUrl: media.key ? undefined : thumbnail,
      pageUrl: `${site}${post.permalink}`,
      title: unescapeHtml(post.title),
      author,
    })),
    ...dropped.map(({ key, reason }) => drop(idOf(key), reason)),
  ];
}

const NAME = "Reddit";

export function createReddit(options: { id: string; apiUrl: string | (() => string) }): SourceAdapter {
  return defineApiSource({
    entry: {
      id: options.id,
      adapter: "reddit",
      // Logged-out API use is throttled hard (reports of ~10 requests a minute); stay well below.
      politeness: { requestsPerSecond: 0.15, concurrency: 1 },
      name: NAME,
      description: "Images, galleries and videos from Reddit link posts (Reddit-hosted videos come without their sound track).",
      homepage: "https://www.reddit.com/",
      category: "social",
      mediaTypes: ["image", "video"],
      input: "query",
      safeSearch: true,
    },
    apiUrl: options.apiUrl,
    query: "text",
    // The page is the listing's "after" token ("" for the first page).
    firstPage: "",
    async fetchPage({ client, request, query, page: after }) {
      const url = client.url("/search.json", {
        q: query,
        type: "link",
        limit: PAGE_SIZE,
        // Logged-out searches leave NSFW posts out unless include_over_18 is on.
        include_over_18: request.safeSearch ? undefined : "on",
        after: after || undefined,
      });
      const { data } = client.parse(responseSchema, await client.json(url));
      return { records: data.children, next: data.after, shared: client.base };
    },
    record: childSchema,
    recordIdOf: (raw) => {
      const data = typeof raw === "object" && raw !== null ? (raw as { data?: { id?: unknown } }).data : undefined;
      return typeof data?.id === "string" ? data.id : undefined;
    },
    toItems: (child, { request, shared: site }) => toItems(child, request, site),
  });
}
