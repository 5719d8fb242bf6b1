// Docs followed: Unsplash API documentation (https://unsplash.com/documentation#search-photos, #track-a-photo-download), response shapes as in unsplash-js types.
import { z } from "zod";
import { clientFor, defineApiSource } from "@/lib/sources/api-source";
import type { SourceClient } from "@/lib/sources/source-client";
import { sourceBaseUrl } from "@/lib/sources/settings";
import { SourceError } from "@/lib/sources/types";
import type { SourceAdapter, SourceContext, SourceItem, SourceKeySpec } from "@/lib/sources/types";

// Unsplash photo search. The access key goes in "Authorization: Client-ID <key>"; Unsplash
// refuses a bad key with 401 only (keyStatuses [401]): its 403 means the hourly rate limit is
// used up, reported as retryable. The API terms require a request to a photo's
// links.download_location whenever the photo is downloaded; the entry's reportDownload
// (unsplashDownloadTrigger) does that for the download pipeline. Every result is a photo; "full"
// (the original dimensions as JPEG) is downloaded, "raw" (the same pixels, the imgix base URL
// meant for building one's own renditions) only when "full" is missing. A result without the
// fields the mapping reads is dropped with the reason. Sponsored results (a brand's own photo,
// "sponsorship" set) are photos under the same license and are kept; Unsplash+ photos are not
// served by the public API (unsplash/unsplash-js issue #212), so no result needs another license.
//
// Proven on two real recorded search responses: one pasted whole into irohitb/images-map's notes
// (10 results, 2020; tests/fixtures/sources/unsplash-recorded-search.provenance.md) and the VCR
// cassette of Unsplash's own PHP library (10 results, 2017;
// tests/fixtures/sources/unsplash-recorded-php-search.provenance.md).

/** The most Unsplash returns a page. */
const PAGE_SIZE = 30;
const LICENSE = "Unsplash License";
const LICENSE_URL = "https://unsplash.com/license";
export const UNSPLASH_API_URL = "https://api.unsplash.com";
const NAME = "Unsplash";

const photoSchema = z.object({
  id: z.string(),
  description: z.string().nullish(),
  alt_description: z.string().nullish(),
  urls: z.object({ raw: z.string(), full: z.string().nullish(), small: z.string().nullish(), thumb: z.string().nullish() }),
  links: z.object({ html: z.string(), download_location: z.string().nullish() }),
  user: z.object({ name: z.string().nullish(), username: z.string().nullish() }).nullish(),
});

/** The page envelope; its results are parsed one by one. */
const responseSchema = z.object({ total: z.number(), total_pages: z.number(), results: z.array(z.unknown()) });

function toItem(photo: z.infer<typeof photoSchema>): SourceItem {
  return {
    remoteId: photo.id,
    mediaType: "image",
    // "full" is the original size as JPEG; "raw" is the untouched original, kept as a fallback.
    mediaUrl: photo.urls.full ?? photo.urls.raw,
    thumbnailUrl: photo.urls.small ?? photo.urls.thumb ?? undefined,
    pageUrl: photo.links.html,
    title: photo.description?.trim() || photo.alt_description?.trim() || undefined,
    author: photo.user?.name ?? photo.user?.username ?? undefined,
    license: LICENSE,
    licenseUrl: LICENSE_URL,
    trackingUrl: photo.links.download_location ?? undefined,
  };
}

function authorization(key: string) {
  return { Authorization: `Client-ID ${key}`, "Accept-Version": "v1" };
}

/** Unsplash answers 403 "Rate Limit Exceeded" once the hourly quota is used up: retryable, unlike other 403s. */
function rateLimited(error: unknown) {
  if (error instanceof SourceError && error.status === 403) {
    return new SourceError(`${NAME}: hourly rate limit used up (HTTP 403)`, 403, true, error.retryAfterMs);
  }
  return error;
}

async function searchPage(client: SourceClient, url: URL) {
  try {
    return await client.json(url, { headers: authorization(client.key ?? ""), keyStatuses: [401] });
  } catch (error) {
    throw rateLimited(error);
  }
}

export function createUnsplash(options: { id: string; name: string; apiUrl: string | (() => string) }): SourceAdapter {
  const apiUrl = () => (typeof options.apiUrl === "function" ? options.apiUrl() : options.apiUrl).replace(/\/+$/, "");
  return defineApiSource({
    entry: {
      id: options.id,
      adapter: "unsplash",
      // Demo apps get 50 requests an hour, production apps 5,000; 429/403 report the rest.
      politeness: { requestsPerSecond: 1, concurrency: 1 },
      name: options.name,
      description: "High-resolution photos from the Unsplash community, under the Unsplash License.",
      homepage: "https://unsplash.com/",
      category: "stock",
      mediaTypes: ["image"],
      input: "query",
      safeSearch: true,
      key: KEY,
      reportDownload: (trackingUrl, context) => unsplashDownloadTrigger(trackingUrl, context, apiUrl()),
    },
    apiUrl,
    query: "text",
    firstPage: 1,
    async fetchPage({ client, request, query, page }) {
      const url = client.url("/search/photos", {
        query,
        page,
        per_page: PAGE_SIZE,
        content_filter: request.safeSearch ? "high" : "low",
      });
      const data = client.parse(responseSchema, await searchPage(client, url));
      return { records: data.results, next: page < data.total_pages ? page + 1 : null };
    },
    record: photoSchema,
    toItems: (photo) => toItem(photo),
  });
}

const KEY: SourceKeySpec = {
  label: "Unsplash access key",
  help: "Free: register an application at https://unsplash.com/oauth/applications and use its Access Key.",
};

const downloadTrackedSchema = z.object({ url: z.string() });

/**
 * Tells Unsplash a photo was downloaded, as its API terms require: a GET to the photo's
 * links.download_location (https://api.unsplash.com/photos/<id>/download?ixid=...) with the
 * access key. The key is only ever sent to the configured Unsplash API origin.
 */
export async function unsplashDownloadTrigger(
  locationUrl: string,
  context: SourceContext,
  apiUrl: string = sourceBaseUrl("unsplash", UNSPLASH_API_URL),
): Promise<void> {
  const client = clientFor({ name: NAME, key: KEY }, apiUrl, context);
  const apiOrigin = new URL(client.base).origin;
  if (!URL.canParse(locationUrl) || new URL(locationUrl).origin !== apiOrigin) {
    client.refuse(`refusing to send the access key to ${locationUrl.slice(0, 200)} (not ${apiOrigin})`);
  }
  let answer: unknown;
  try {
    answer = await client.json(locationUrl, { headers: authorization(client.key ?? ""), keyStatuses: [401] });
  } catch (error) {
    throw rateLimited(error);
  }
  client.parse(downloadTrackedSchema, answer);
}
