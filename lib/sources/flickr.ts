// Docs followed: Flickr API flickr.photos.search and flickr.photos.licenses.getInfo (https://www.flickr.com/services/api/), SearXNG flickr.py.
import { z } from "zod";

import { nextPagedCursor, parsePagedCursor } from "@/lib/sources/paged-cursor";
import { fetchKeyedJson, parseResponse, requireKey } from "@/lib/sources/source-http";
import { SourceError } from "@/lib/sources/types";
import type { DroppedRecord, SearchPage, SearchRequest, SourceAdapter, SourceContext, SourceItem } from "@/lib/sources/types";

// Flickr photo search through the REST API (api_key in the query, JSON without callback).
// Errors come back as HTTP 200 with {"stat": "fail", "code": ..., "message": ...}. Videos
// are left out (media=photos): search results only carry still frames for them.
//
// Sizes (flickr.photos.search `extras`, https://www.flickr.com/services/api/flickr.photos.search.html
// and https://www.flickr.com/services/api/misc.urls.html): url_o original (only when the owner
// allows original downloads), url_k 2048 px, url_h 1600 px, url_l 1024 px, url_c 800 px,
// url_z 640 px, url_m 500 px, url_n 320 px (each with width_x/height_x, which SourceItem has no
// field for). The largest one present is downloaded. Photos without any of them are returned in `dropped` with the reason.
// Tested on a recorded flickr.photos.search response (Openverse's catalog test data, see
// tests/fixtures/sources/flickr-openverse-search.provenance.md); it asked for url_l/url_m only, and
// no recorded response carrying url_k/url_h was found, so those sizes are covered by the
// hand-written fixtures.

const NAME = "Flickr";
const PAGE_SIZE = 100;
/** Renditions, largest first. */
const SIZES = ["o", "k", "h", "l", "c", "z", "m", "n"] as const;
const EXTRAS = ["owner_name", "license", ...SIZES.map((size) => `url_${size}`)].join(",");
/** safe_search: 1 = safe only, 3 = safe, moderate and restricted. */
const SAFE = "1";
const UNRESTRICTED = "3";
/** Error codes of the REST API that mean the key is wrong or revoked. */
const KEY_ERRORS = new Set([100]);
/** "Service currently unavailable". */
const RETRYABLE_ERRORS = new Set([105]);

/** flickr.photos.licenses.getInfo, ids 0–10. */
const LICENSES: Record<string, { name: string; url?: string }> = {
  "0": { name: "All Rights Reserved" },
  "1": { name: "CC BY-NC-SA 2.0", url: "https://creativecommons.org/licenses/by-nc-sa/2.0/" },
  "2": { name: "CC BY-NC 2.0", url: "https://creativecommons.org/licenses/by-nc/2.0/" },
  "3": { name: "CC BY-NC-ND 2.0", url: "https://creativecommons.org/licenses/by-nc-nd/2.0/" },
  "4": { name: "CC BY 2.0", url: "https://creativecommons.org/licenses/by/2.0/" },
  "5": { name: "CC BY-SA 2.0", url: "https://creativecommons.org/licenses/by-sa/2.0/" },
  "6": { name: "CC BY-ND 2.0", url: "https://creativecommons.org/licenses/by-nd/2.0/" },
  "7": { name: "No known copyright restrictions", url: "https://www.flickr.com/commons/usage/" },
  "8": { name: "United States Government Work", url: "http://www.usa.gov/copyright.shtml" },
  "9": { name: "CC0 1.0", url: "https://creativecommons.org/publicdomain/zero/1.0/" },
  "10": { name: "Public Domain Mark 1.0", url: "https://creativecommons.org/publicdomain/mark/1.0/" },
};

/** Counts come as numbers or as digit strings ("total": "4664056"), depending on the field. */
const numeric = z.preprocess((value) => (typeof value === "string" && /^\d+$/.test(value) ? Number(value) : value), z.number());

const photoSchema = z.object({
  id: z.string(),
  owner: z.string(),
  title: z.string().nullish(),
  license: z.union([z.string(), z.number()]).transform(String).nullish(),
  ownername: z.string().nullish(),
  url_o: z.string().nullish(),
  url_k: z.string().nullish(),
  url_h: z.string().nullish(),
  url_l: z.string().nullish(),
  url_c: z.string().nullish(),
  url_z: z.string().nullish(),
  url_m: z.string().nullish(),
  url_n: z.string().nullish(),
});
type Photo = z.infer<typeof photoSchema>;

const responseSchema = z.discriminatedUnion("stat", [
  z.object({
    stat: z.literal("ok"),
    photos: z.object({ page: numeric, pages: numeric, total: numeric, photo: z.array(photoSchema) }),
  }),
  z.object({ stat: z.literal("fail"), code: z.number(), message: z.string() }),
]);

const PHASES = ["photos"] as const;

function licenseOf(id: string | null | undefined) {
  if (id === null || id === undefined) return {};
  const known = LICENSES[id];
  return known ? { license: known.name, licenseUrl: known.url } : { license: `Flickr license ${id}` };
}

/** The largest rendition the photo has, in the order o > k > h > l > c > z > m > n. */
function largestRendition(photo: Photo): string | undefined {
  for (const size of SIZES) {
    const url = photo[`url_${size}`]?.trim();
    if (url) return url;
  }
  return undefined;
}

function toItem(photo: Photo): SourceItem | DroppedRecord {
  const mediaUrl = largestRendition(photo);
  if (!mediaUrl) return { remoteId: photo.id, reason: `no image URL (none of ${SIZES.map((size) => `url_${size}`).join(", ")})` };
  return {
    remoteId: photo.id,
    mediaType: "image",
    mediaUrl,
    thumbnailUrl: photo.url_n ?? photo.url_m ?? photo.url_z ?? undefined,
    // NSIDs look like "45457437@N00"; Flickr's own links keep the "@".
    pageUrl: `https://www.flickr.com/photos/${encodeURIComponent(photo.owner).replace(/%40/g, "@")}/${encodeURIComponent(photo.id)}/`,
    title: photo.title?.trim() || undefined,
    author: photo.ownername?.trim() || undefined,
    ...licenseOf(photo.license),
  };
}

function isItem(result: SourceItem | DroppedRecord): result is SourceItem {
  return "mediaUrl" in result;
}

export function createFlickr(options: { id: string; name: string; apiUrl: string | (() => string) }): SourceAdapter {
  const apiUrl = () => (typeof options.apiUrl === "function" ? options.apiUrl() : options.apiUrl).replace(/\/+$/, "");

  async function search(request: SearchRequest, context: SourceContext): Promise<SearchPage> {
    const key = requireKey(NAME, context);
    if (request.mediaTypes === "videos") return { items: [], nextCursor: null };
    const query = request.query.trim();
    if (!query) throw new SourceError(`${NAME}: a search query is required`, undefined, false);
    const position = parsePagedCursor(NAME, request.cursor, PHASES, 1);
    if (request.limit < 1) return { items: [], nextCursor: request.cursor };

    const url = new URL(`${apiUrl()}/`);
    const params = url.searchParams;
    params.set("method", "flickr.photos.search");
    params.set("api_key", key);
    params.set("text", query);
    params.set("sort", "relevance");
    params.set("media", "photos");
    params.set("extras", EXTRAS);
    params.set("safe_search", request.safeSearch ? SAFE : UNRESTRICTED);
    params.set("per_page", String(PAGE_SIZE));
    params.set("page", String(position.page));
    params.set("format", "json");
    params.set("nojsoncallback", "1");
    const data = parseResponse(NAME, responseSchema, await fetchKeyedJson(NAME, context.http, url.href));
    if (data.stat === "fail") {
      if (KEY_ERRORS.has(data.code)) throw new SourceError(`${NAME}: API key rejected (${data.message})`, undefined, false);
      throw new SourceError(`${NAME}: API error ${data.code}: ${data.message}`, undefined, RETRYABLE_ERRORS.has(data.code));
    }

    const parsed = data.photos.photo.map(toItem);
    const found = parsed.filter(isItem);
    // A page is fetched again to resume inside it; its dropped records are reported on the first visit only.
    const dropped = position.skip === 0 ? parsed.filter((result): result is DroppedRecord => !isItem(result)) : [];
    const items = found.slice(position.skip, position.skip + request.limit);
    const nextCursor = nextPagedCursor(position, {
      limit: request.limit,
      count: found.length,
      hasNextPage: data.photos.photo.length > 0 && position.page < data.photos.pages,
      phases: PHASES,
      firstPage: 1,
    });
    return { items, nextCursor, ...(dropped.length > 0 ? { dropped } : {}) };
  }

  return {
    id: options.id,
    adapter: "flickr",
    // Documented limit: 3,600 requests an hour per key.
    politeness: { requestsPerSecond: 1, concurrency: 1 },
    name: options.name,
    description: "Photos shared on Flickr, with owner and license (Creative Commons, public domain or all rights reserved).",
    homepage: "https://www.flickr.com/",
    category: "stock",
    mediaTypes: ["image"],
    input: "query",
    safeSearch: true,
    key: { label: "Flickr API key", help: "Free for non-commercial use: apply at https://www.flickr.com/services/apps/create/apply/." },
    search,
  };
}
