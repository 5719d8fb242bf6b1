import { z } from "zod";
import { defineApiSource, drop, type RecordResult } from "@/lib/sources/api-source";
import { mediaTypeFromExtension } from "@/lib/sources/media-kinds";
import type { SourceClient } from "@/lib/sources/source-client";
import type { MediaType, SearchRequest, SourceAdapter } from "@/lib/sources/types";

// NASA Image and Video Library (images.nasa.gov API docs, via the nasaR client's endpoint list):
// GET /search?q=&media_type=image,video&page= answers a Collection+JSON document; each item's
// href is its asset manifest (collection.json), a list of file URLs named "~orig.jpg",
// "~large.jpg", "~orig.mp4", ... links[0] is the thumbnail and collection.links[rel=next] the
// next page. No rate limit is published.
// Search v1.1 (collection.version "1.1", as in a response recorded verbatim in a public Swift
// project, tests/fixtures/sources/nasa-recorded-search-v1.1.provenance.md) also lists each image's
// renditions in links[] with width, height and size, the original as rel "canonical": then that
// URL is used and the manifest is not fetched. Its size is rounded to kilobytes (1525000), so it is
// not passed on as expectedBytes, which the downloader checks exactly.
// Each result is handled on its own (the family base, api-source.ts): a result that fails its
// schema, whose manifest answers 404 or 410 (a withdrawn asset) or lists no usable file is
// dropped with its reason and the page goes on; a manifest request that fails otherwise (5xx,
// 429, network) or answers something other than a list of URLs fails the page, for the engine to
// retry. Manifests are read two at a time and only as many as the limit needs. Only files Trawl
// stores are taken: an image by its extension (jpg, png, gif, tif, ...), a video only as mp4 (the
// .mov originals are left for the largest mp4 rendition).

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
type NasaItem = z.infer<typeof itemSchema>;

/** Items are checked one by one, so one malformed result does not fail the page. */
const responseSchema = z.object({
  collection: z.object({
    items: z.array(z.unknown()),
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

/** The original image named by a v1.1 search result (rel "canonical"), when it has one. */
function canonicalImage(item: NasaItem): string | undefined {
  const canonical = item.links?.find((link) => link.rel === "canonical" && (link.render ?? "image") === "image");
  if (!canonical) return undefined;
  const url = normalizeUrl(canonical.href);
  return mediaTypeFromExtension(url) === "image" ? url : undefined;
}

/** A search result's id, for naming it when its schema failed. */
function nasaIdOf(raw: unknown): string | undefined {
  const data = (raw as { data?: { nasa_id?: unknown }[] } | null)?.data;
  const id = Array.isArray(data) ? data[0]?.nasa_id : undefined;
  return typeof id === "string" ? id : undefined;
}

/** One search result -> its item: the canonical original, else the best file of its manifest. */
async function toItem(item: NasaItem, client: SourceClient): Promise<RecordResult> {
  const data = item.data[0];
  const remoteId = data.nasa_id;
  const mediaType = data.media_type === "image" || data.media_type === "video" ? data.media_type : undefined;
  if (!mediaType) return drop(remoteId, `a ${data.media_type} result, not an image or video`);
  let mediaUrl = mediaType === "image" ? canonicalImage(item) : undefined;
  if (!mediaUrl) {
    const manifest = client.parse(
      manifestSchema,
      await client.json(normalizeUrl(item.href), { gone: "NASA has no asset manifest for it" }),
    );
    mediaUrl = pickAsset(manifest, mediaType);
    if (!mediaUrl) return drop(remoteId, `its asset manifest lists no ${mediaType === "image" ? "image" : "mp4"} file`);
  }
  const thumbnail = item.links?.find((link) => link.rel === "preview") ?? item.links?.[0];
  return {
    remoteId,
    mediaType,
    mediaUrl,
    thumbnailUrl: thumbnail ? normalizeUrl(thumbnail.href) : undefined,
    pageUrl: `https://images.nasa.gov/details/${encodeURIComponent(remoteId)}`,
    title: data.title || undefined,
    author: data.photographer || data.secondary_creator || undefined,
  };
}

export function createNasa(options: { id: string; name: string; apiUrl: string | (() => string) }): SourceAdapter {
  return defineApiSource({
    entry: {
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
    },
    apiUrl: options.apiUrl,
    query: "text",
    firstPage: 1,
    // A result may cost a manifest request, so only as many are read as the limit needs.
    recordConcurrency: MANIFEST_CONCURRENCY,
    async fetchPage({ client, request, query, page }) {
      const url = client.url("/search", { q: query, media_type: mediaTypesParam(request), page });
      const { collection } = client.parse(responseSchema, await client.json(url));
      const hasNext = collection.links?.some((link) => link.rel === "next") ?? false;
      return { records: collection.items, next: hasNext ? page + 1 : null };
    },
    record: itemSchema,
    recordIdOf: nasaIdOf,
    toItems: (item, { client }) => toItem(item, client),
  });
}
