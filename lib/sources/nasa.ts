import { z } from "zod";
import { mediaTypeFromExtension } from "@/lib/sources/media-kinds";
import { resolveBase } from "@/lib/sources/museum-support";
import { formatPositionCursor, parsePositionCursor } from "@/lib/sources/position-cursor";
import { fetchJson, parseResponse, requireQuery } from "@/lib/sources/source-http";
import type { MediaType, SearchPage, SearchRequest, SourceAdapter, SourceContext, SourceItem } from "@/lib/sources/types";

// NASA Image and Video Library (images.nasa.gov API docs, via the nasaR client's endpoint list):
// GET /search?q=&media_type=image,video&page= answers a Collection+JSON document; each item's
// href is its asset manifest (collection.json), a list of file URLs named "~orig.jpg",
// "~large.jpg", "~orig.mp4", ... links[0] is the thumbnail and collection.links[rel=next] the
// next page. No rate limit is published.

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
  links: z.array(z.object({ href: urlString, rel: z.string().nullish() })).nullish(),
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

export function createNasa(options: { id: string; name: string; apiUrl: string | (() => string) }): SourceAdapter {
  async function toItem(context: SourceContext, item: z.infer<typeof itemSchema>): Promise<SourceItem | undefined> {
    const data = item.data[0];
    const mediaType = data.media_type === "image" || data.media_type === "video" ? data.media_type : undefined;
    if (!mediaType) return undefined;
    const manifest = parseResponse(options.name, manifestSchema, await fetchJson(options.name, context.http, normalizeUrl(item.href)));
    const mediaUrl = pickAsset(manifest, mediaType);
    if (!mediaUrl) return undefined;
    const thumbnail = item.links?.find((link) => link.rel === "preview") ?? item.links?.[0];
    return {
      remoteId: data.nasa_id,
      mediaType,
      mediaUrl,
      thumbnailUrl: thumbnail ? normalizeUrl(thumbnail.href) : undefined,
      pageUrl: `https://images.nasa.gov/details/${encodeURIComponent(data.nasa_id)}`,
      title: data.title || undefined,
      author: data.photographer || data.secondary_creator || undefined,
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

    // Each result costs a manifest request, so only as many are read as the limit needs.
    const items: SourceItem[] = [];
    let handled = at.skip;
    while (handled < results.length && items.length < request.limit) {
      const chunk = results.slice(handled, handled + Math.min(MANIFEST_CONCURRENCY, request.limit - items.length));
      const resolved = await Promise.all(chunk.map((result) => toItem(context, result)));
      handled += chunk.length;
      items.push(...resolved.flatMap((item) => item ?? []));
    }

    const hasNext = data.collection.links?.some((link) => link.rel === "next") ?? false;
    const next =
      handled < results.length
        ? { index: at.index, skip: handled }
        : hasNext && results.length > 0
          ? { index: at.index + 1, skip: 0 }
          : null;
    return { items, nextCursor: next ? formatPositionCursor(next) : null };
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
