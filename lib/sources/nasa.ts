import { z } from "zod";
import { HttpError } from "@/lib/net/http-client";
import { mediaTypeFromExtension } from "@/lib/sources/media-kinds";
import { resolveBase } from "@/lib/sources/museum-support";
import { formatPositionCursor, parsePositionCursor } from "@/lib/sources/position-cursor";
import { fetchJson, parseResponse, requireQuery, toSourceError } from "@/lib/sources/source-http";
import type { DroppedRecord, MediaType, SearchPage, SearchRequest, SourceAdapter, SourceContext, SourceItem } from "@/lib/sources/types";

// NASA Image and Video Library (images.nasa.gov API docs, via the nasaR client's endpoint list):
// GET /search?q=&media_type=image,video&page= answers a Collection+JSON document; each item's
// href is its asset manifest (collection.json), a list of file URLs named "~orig.jpg",
// "~large.jpg", "~orig.mp4", ... links[0] is the thumbnail and collection.links[rel=next] the
// next page. No rate limit is published.
// Search v1.1 (collection.version "1.1", as in a response recorded verbatim in a public Swift
// project, tests/fixtures/sources/nasa-recorded-search-v1.1.provenance.md) also lists each image's
// renditions in links[] with width, height and size, the original as rel "canonical": then that
// URL is used and the manifest is not fetched. Its size is rounded to kilobytes (1525000), so it is
// not passed on as expectedBytes, which the downloader checks exactly. A manifest that answers 404
// (a withdrawn asset) or lists no usable file drops that one result, with its reason.

const MANIFEST_CONCURRENCY = 2;

const urlString = z.string().refine((value) => URL.canParse(value), "not a URL");

const itemSchema = z.object({
  href: urlString,
  data: z
    .array(
      z.object({
        nasa_id: z.string(),
        media_type: z.string(),
        title: z.string().nullish(),
        photographer: z.string().nullish(),
        secondary_creator: z.string().nullish(),
      }),
    )
    .min(1),
  links: z
    .array(
      z.object({
        href: urlString,
        rel: z.string().nullish(),
        render: z.string().nullish(),
      }),
    )
    .nullish(),
});

const responseSchema = z.object({
  collection: z.object({
    items: z.array(itemSchema),
    links: z.array(z.object({ rel: z.string(), href: z.string() })).nullish(),
  }),
});

const manifestSchema = z.array(urlString);

const IMAGE_RENDITIONS = ["orig", "large", "medium", "small"];
const VIDEO_RENDITIONS = ["orig", "large", "medium", "small", "mobile", "preview"];

/** Absolute URL with spaces and the like escaped; NASA's own asset host is served over https. */
function normalizeUrl(raw: string) {
  const url = new URL(raw);
  if (url.protocol === "http:" && url.hostname === "images-assets.nasa.gov") url.protocol = "https:";
  return url.href;
}

/** The best file of the wanted type: "~orig" first, then the larger renditions. */
export function pickAsset(files: string[], type: MediaType): string | undefined {
  const candidates = files
    .map(normalizeUrl)
    .filter((url) => mediaTypeFromExtension(url) === type && (type === "image" || /\.mp4$/i.test(new URL(url).pathname)));
  for (const rendition of type === "image" ? IMAGE_RENDITIONS : VIDEO_RENDITIONS) {
    const match = candidates.find((url) => decodeURIComponent(new URL(url).pathname).includes(`~${rendition}.`));
    if (match) return match;
  }
  return candidates[0];
}

function mediaTypesParam(request: SearchRequest) {
  return request.mediaTypes === "images" ? "image" : request.mediaTypes === "videos" ? "video" : "image,video";
}

type Resolved = { item: SourceItem } | { dropped: DroppedRecord };

/** The original image named by a v1.1 search result (rel "canonical"), when it has one. */
function canonicalImage(item: z.infer<typeof itemSchema>): string | undefined {
  const canonical = item.links?.find((link) => link.rel === "canonical" && (link.render ?? "image") === "image");
  if (!canonical) return undefined;
  const url = normalizeUrl(canonical.href);
  return mediaTypeFromExtension(url) === "image" ? url : undefined;
}

export function createNasa(options: { id: string; name: string; apiUrl: string | (() => string) }): SourceAdapter {
  /** The manifest's files, or null when NASA has no manifest for the result (404: withdrawn). */
  async function fetchManifest(context: SourceContext, href: string): Promise<string[] | null> {
    let body: unknown;
    try {
      body = await context.http.getJson(normalizeUrl(href));
    } catch (error) {
      if (error instanceof HttpError && error.status === 404) return null;
      throw toSourceError(options.name, error);
    }
    return parseResponse(options.name, manifestSchema, body);
  }

  async function resolve(context: SourceContext, item: z.infer<typeof itemSchema>): Promise<Resolved> {
    const data = item.data[0];
    const remoteId = data.nasa_id;
    const mediaType = data.media_type === "image" || data.media_type === "video" ? data.media_type : undefined;
    if (!mediaType) return { dropped: { remoteId, reason: `a ${data.media_type} result, not an image or video` } };
    let mediaUrl = mediaType === "image" ? canonicalImage(item) : undefined;
    if (!mediaUrl) {
      const manifest = await fetchManifest(context, item.href);
      if (!manifest) return { dropped: { remoteId, reason: "NASA has no asset manifest for it (404)" } };
      mediaUrl = pickAsset(manifest, mediaType);
      if (!mediaUrl)
        return { dropped: { remoteId, reason: `its asset manifest lists no ${mediaType === "image" ? "image" : "mp4"} file` } };
    }
    const thumbnail = item.links?.find((link) => link.rel === "preview") ?? item.links?.[0];
    return {
      item: {
        remoteId,
        mediaType,
        mediaUrl,
        thumbnailUrl: thumbnail ? normalizeUrl(thumbnail.href) : undefined,
        pageUrl: `https://images.nasa.gov/details/${encodeURIComponent(remoteId)}`,
        title: data.title || undefined,
        author: data.photographer || data.secondary_creator || undefined,
      },
    };
  }

  /** The cursor is "<page>" or "<page>:<search results already handled>". */
  async function search(request: SearchRequest, context: SourceContext): Promise<SearchPage> {
    const query = requireQuery(options.name, request);
    const at = parsePositionCursor(options.name, request.cursor, 1);
    if (request.limit < 1) return { items: [], nextCursor: formatPositionCursor(at) };

    const url = new URL(`${resolveBase(options.apiUrl)}/search`);
    url.searchParams.set("q", query);
    url.searchParams.set("media_type", mediaTypesParam(request));
    url.searchParams.set("page", String(at.index));
    const data = parseResponse(options.name, responseSchema, await fetchJson(options.name, context.http, url.href));
    const results = data.collection.items;

    // A result may cost a manifest request, so only as many are read as the limit needs.
    const items: SourceItem[] = [];
    const dropped: DroppedRecord[] = [];
    let handled = at.skip;
    while (handled < results.length && items.length < request.limit) {
      const chunk = results.slice(handled, handled + Math.min(MANIFEST_CONCURRENCY, request.limit - items.length));
      const resolved = await Promise.all(chunk.map((result) => resolve(context, result)));
      handled += chunk.length;
      for (const outcome of resolved) {
        if ("item" in outcome) items.push(outcome.item);
        else dropped.push(outcome.dropped);
      }
    }

    const hasNext = data.collection.links?.some((link) => link.rel === "next") ?? false;
    const next =
      handled < results.length
        ? { index: at.index, skip: handled }
        : hasNext && results.length > 0
          ? { index: at.index + 1, skip: 0 }
          : null;
    return { items, nextCursor: next ? formatPositionCursor(next) : null, ...(dropped.length > 0 ? { dropped } : {}) };
  }

  return {
    id: options.id,
    adapter: "nasa",
    name: options.name,
    description: "Photos and videos from NASA's Image and Video Library, at their original size.",
    homepage: "https://images.nasa.gov/",
    category: "museums",
    mediaTypes: ["image", "video"],
    input: "query",
    safeSearch: false,
    // No published limit: stay gentle.
    politeness: { requestsPerSecond: 2, concurrency: MANIFEST_CONCURRENCY },
    search,
  };
}
