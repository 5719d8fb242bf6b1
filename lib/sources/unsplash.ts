// Docs followed: Unsplash API documentation (https://unsplash.com/documentation#search-photos, #track-a-photo-download), response shapes as in unsplash-js types.
import { z } from "zod";

import { nextPagedCursor, parsePagedCursor } from "@/lib/sources/paged-cursor";
import { fetchKeyedJson, parseResponse, requireKey } from "@/lib/sources/source-http";
import { sourceBaseUrl } from "@/lib/sources/settings";
import { SourceError } from "@/lib/sources/types";
import type { SearchPage, SearchRequest, SourceAdapter, SourceContext, SourceItem } from "@/lib/sources/types";

// Unsplash photo search. The access key goes in "Authorization: Client-ID <key>". The API
// terms require a request to a photo's links.download_location whenever the photo is
// downloaded; unsplashDownloadTrigger() does that for the download pipeline to call. Every
// result is a photo with urls.full, so no record of a page is dropped (SearchPage.dropped is
// always empty). Sponsored results (a brand's own photo, "sponsorship" set) are photos under
// the same license and are kept.
//
// Proven on a real recorded search response (10 results, 2020; see
// tests/fixtures/sources/unsplash-recorded-search.provenance.md).

const NAME = "Unsplash";
/** The most Unsplash returns a page. */
const PAGE_SIZE = 30;
const LICENSE = "Unsplash License";
const LICENSE_URL = "https://unsplash.com/license";
export const UNSPLASH_API_URL = "https://api.unsplash.com";

const photoSchema = z.object({
  id: z.string(),
  description: z.string().nullish(),
  alt_description: z.string().nullish(),
  urls: z.object({ raw: z.string(), full: z.string().nullish(), small: z.string().nullish(), thumb: z.string().nullish() }),
  links: z.object({ html: z.string(), download_location: z.string().nullish() }),
  user: z.object({ name: z.string().nullish(), username: z.string().nullish() }).nullish(),
});

const responseSchema = z.object({ total: z.number(), total_pages: z.number(), results: z.array(photoSchema) });

const PHASES = ["photos"] as const;

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

/** Unsplash answers 403 "Rate Limit Exceeded" once the hourly quota is used up, 401 for a bad key. */
async function fetchUnsplash(http: SourceContext["http"], url: string, key: string) {
  try {
    return await fetchKeyedJson(NAME, http, url, { headers: authorization(key), keyStatuses: [401] });
  } catch (error) {
    if (error instanceof SourceError && error.status === 403) {
      throw new SourceError(`${NAME}: hourly rate limit used up (HTTP 403)`, 403, true, error.retryAfterMs);
    }
    throw error;
  }
}

export function createUnsplash(options: { id: string; name: string; apiUrl: string | (() => string) }): SourceAdapter {
  const apiUrl = () => (typeof options.apiUrl === "function" ? options.apiUrl() : options.apiUrl).replace(/\/+$/, "");

  async function search(request: SearchRequest, context: SourceContext): Promise<SearchPage> {
    const key = requireKey(NAME, context);
    if (request.mediaTypes === "videos") return { items: [], nextCursor: null };
    const query = request.query.trim();
    if (!query) throw new SourceError(`${NAME}: a search query is required`, undefined, false);
    const position = parsePagedCursor(NAME, request.cursor, PHASES, 1);
    if (request.limit < 1) return { items: [], nextCursor: request.cursor };

    const url = new URL(`${apiUrl()}/search/photos`);
    url.searchParams.set("query", query);
    url.searchParams.set("page", String(position.page));
    url.searchParams.set("per_page", String(PAGE_SIZE));
    url.searchParams.set("content_filter", request.safeSearch ? "high" : "low");
    const data = parseResponse(NAME, responseSchema, await fetchUnsplash(context.http, url.href, key));

    const items = data.results.slice(position.skip, position.skip + request.limit).map(toItem);
    const nextCursor = nextPagedCursor(position, {
      limit: request.limit,
      count: data.results.length,
      hasNextPage: data.results.length > 0 && position.page < data.total_pages,
      phases: PHASES,
      firstPage: 1,
    });
    return { items, nextCursor, dropped: [] };
  }

  return {
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
    key: {
      label: "Unsplash access key",
      help: "Free: register an application at https://unsplash.com/oauth/applications and use its Access Key.",
    },
    search,
    reportDownload: (trackingUrl, context) => unsplashDownloadTrigger(trackingUrl, context, apiUrl()),
  };
}

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
  const key = requireKey(NAME, context);
  const apiOrigin = new URL(apiUrl).origin;
  if (!URL.canParse(locationUrl) || new URL(locationUrl).origin !== apiOrigin) {
    throw new SourceError(`${NAME}: refusing to send the access key to ${locationUrl.slice(0, 200)} (not ${apiOrigin})`, undefined, false);
  }
  parseResponse(NAME, downloadTrackedSchema, await fetchUnsplash(context.http, locationUrl, key));
}
