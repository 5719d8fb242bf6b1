// Docs followed: Pixabay API (https://pixabay.com/api/docs/), response shapes as in the pixabay-api npm README and PixabaySharp models.
import { z } from "zod";
import { defineApiSource, drop, type RecordResult } from "@/lib/sources/api-source";
import { kindPrefixedId, tagged } from "@/lib/sources/records";
import type { SearchRequest, SourceAdapter } from "@/lib/sources/types";

// Pixabay image search (/api/) and video search (/api/videos/); for "both", photos first (the
// phases "images" and "videos"). The key goes in the "key" query parameter; Pixabay answers a
// bad key with 400 "[ERROR 400] Invalid API key", so 400 counts as a refused key besides 401
// and 403. totalHits is capped (500 observed), so paging stops there. Image search asks for
// photos only (image_type=photo): illustrations and vectors are left out on purpose. The
// original-size image URLs need approved full API access; largeImageURL (up to 1280 px) is the
// largest every key gets; imageURL (the original) or fullHDURL (1920 px) is taken instead when
// the key has that access and the hit carries it. A video hit's largest rendition is taken
// ("large" comes back with an empty URL when there is none); a hit without any rendition, or
// without the fields the mapping reads, is dropped with the reason.
//
// Proven on a real recorded search response (three photo hits, 2020; see
// tests/fixtures/sources/pixabay-recorded-search.provenance.md). No recorded video search was
// found (searched client libraries' cassettes and fixtures and other tools' test data: only hand-
// written hits or the documentation's example pasted into code), so the video mapping is proven
// on Trawl's own fixture only.

const PAGE_SIZE = 100;
const LICENSE = "Pixabay Content License";
const LICENSE_URL = "https://pixabay.com/service/license-summary/";

type Phase = "images" | "videos";

// Image and video hits are told apart by the phase that fetched them: fetchPage tags each hit
// with its kind, so one record schema parses both and a drop names the hit as its item would.
const imageHitSchema = z.object({
  kind: z.literal("image"),
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
  kind: z.literal("video"),
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

const hitSchema = z.discriminatedUnion("kind", [imageHitSchema, videoHitSchema]);
type Hit = z.infer<typeof hitSchema>;

/** The page envelope; its hits are parsed one by one. */
const pageSchema = z.object({ total: z.number(), totalHits: z.number(), hits: z.array(z.unknown()) });

function phasesFor(request: SearchRequest): Phase[] {
  if (request.mediaTypes === "images") return ["images"];
  if (request.mediaTypes === "videos") return ["videos"];
  return ["images", "videos"];
}

/** Pixabay has no titles; its tags ("aurora, northern lights, night") stand in. */
function titleFromTags(tags: string | null | undefined) {
  return tags?.trim() || undefined;
}

function toItem(hit: Hit): RecordResult {
  const common = {
    pageUrl: hit.pageURL,
    title: titleFromTags(hit.tags),
    author: hit.user ?? undefined,
    license: LICENSE,
    licenseUrl: LICENSE_URL,
  };
  if (hit.kind === "image") {
    return {
      remoteId: `image-${hit.id}`,
      mediaType: "image",
      mediaUrl: hit.imageURL || hit.fullHDURL || hit.largeImageURL,
      thumbnailUrl: hit.webformatURL ?? hit.previewURL ?? undefined,
      ...common,
    };
  }
  const { large, medium, small, tiny } = hit.videos;
  const rendition = [large, medium, small, tiny].find((r) => r && r.url !== "");
  if (!rendition) return drop(`video-${hit.id}`, "no video rendition with a URL");
  return {
    remoteId: `video-${hit.id}`,
    mediaType: "video",
    mediaUrl: rendition.url,
    thumbnailUrl: rendition.thumbnail || undefined,
    ...common,
  };
}

export function createPixabay(options: { id: string; name: string; apiUrl: string | (() => string) }): SourceAdapter {
  return defineApiSource({
    entry: {
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
    },
    apiUrl: options.apiUrl,
    query: "text",
    firstPage: 1,
    phases: phasesFor,
    async fetchPage({ client, request, query, phase, page }) {
      const url = client.url(phase === "images" ? "/" : "/videos/", {
        key: client.key,
        q: query,
        image_type: phase === "images" ? "photo" : undefined,
        safesearch: request.safeSearch,
        per_page: PAGE_SIZE,
        page,
      });
      const data = client.parse(pageSchema, await client.json(url, { keyStatuses: [400, 401, 403] }));
      const kind = phase === "images" ? "image" : "video";
      return { records: data.hits.map((raw) => tagged(raw, kind)), next: page * PAGE_SIZE < data.totalHits ? page + 1 : null };
    },
    record: hitSchema,
    recordIdOf: kindPrefixedId,
    toItems: (hit) => toItem(hit),
  });
}
