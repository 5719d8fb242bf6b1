// Docs followed: Flickr API flickr.photos.search and flickr.photos.licenses.getInfo (https://www.flickr.com/services/api/), SearXNG flickr.py, gallery-dl flickr.py (sizes).
import { z } from "zod";
import { defineApiSource, drop, type RecordResult } from "@/lib/sources/api-source";
import { SourceError } from "@/lib/sources/types";
import type { SourceAdapter } from "@/lib/sources/types";

// Flickr photo search through the REST API (api_key in the query, JSON without callback).
// Errors come back as HTTP 200 with {"stat": "fail", "code": ..., "message": ...}: code 100
// ("Invalid API Key") is a rejected key; HTTP 401/403 are too (the base's default). Videos
// are left out (media=photos): search results only carry still frames for them.
//
// Sizes (flickr.photos.search `extras`, https://www.flickr.com/services/api/flickr.photos.search.html
// and https://www.flickr.com/services/api/misc.urls.html): url_o original (only when the owner
// allows original downloads), url_6k 6144 px, url_5k 5120 px, url_4k 4096 px, url_3k 3072 px (the
// X-Large sizes gallery-dl's flickr.py asks for), url_k 2048 px, url_h 1600 px, url_l 1024 px,
// url_c 800 px, url_z 640 px, url_m 500 px, url_n 320 px (each with width_x/height_x, which
// SourceItem has no field for). The largest one present is downloaded. A photo without any of
// them, or without the fields the mapping reads, is dropped with the reason. Licenses are the ids
// of flickr.photos.licenses.getInfo, 0–16 (11–16 are the CC 4.0 licenses, as recorded in
// Flickr-Foundation/flickr-photos-api tests/fixtures/cassettes/TestLicenseMethods.test_get_licenses.yml).
// Tested on a recorded flickr.photos.search response (Openverse's catalog test data, see
// tests/fixtures/sources/flickr-openverse-search.provenance.md); it asked for url_l/url_m only. No
// recorded response carrying url_k/url_h (or the X-Large sizes) was found: searched again for
// JSON search answers with url_k/url_h/width_k in client libraries' cassettes and fixtures
// (Flickr-Foundation/flickr-photos-api records XML without them) and other tools' test data, and
// found only single hand-copied photo records and an elided excerpt in a code comment; those
// sizes are covered by the hand-written fixtures.

const PAGE_SIZE = 100;
/** Renditions, largest first. */
const SIZES = ["o", "6k", "5k", "4k", "3k", "k", "h", "l", "c", "z", "m", "n"] as const;
const SIZE_FIELDS = SIZES.map((size) => `url_${size}` as const);
const EXTRAS = ["owner_name", "license", ...SIZE_FIELDS].join(",");
/** safe_search: 1 = safe only, 3 = safe, moderate and restricted. */
const SAFE = "1";
const UNRESTRICTED = "3";
/** Error codes of the REST API that mean the key is wrong or revoked. */
const KEY_ERRORS = new Set([100]);
/** "Service currently unavailable". */
const RETRYABLE_ERRORS = new Set([105]);

/** flickr.photos.licenses.getInfo, ids 0–16. */
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
  "11": { name: "CC BY 4.0", url: "https://creativecommons.org/licenses/by/4.0/" },
  "12": { name: "CC BY-SA 4.0", url: "https://creativecommons.org/licenses/by-sa/4.0/" },
  "13": { name: "CC BY-ND 4.0", url: "https://creativecommons.org/licenses/by-nd/4.0/" },
  "14": { name: "CC BY-NC 4.0", url: "https://creativecommons.org/licenses/by-nc/4.0/" },
  "15": { name: "CC BY-NC-SA 4.0", url: "https://creativecommons.org/licenses/by-nc-sa/4.0/" },
  "16": { name: "CC BY-NC-ND 4.0", url: "https://creativecommons.org/licenses/by-nc-nd/4.0/" },
};

/** Counts come as numbers or as digit strings ("total": "4664056"), depending on the field. */
const numeric = z.preprocess((value) => (typeof value === "string" && /^\d+$/.test(value) ? Number(value) : value), z.number());

const sizeUrl = z.string().nullish();
const photoSchema = z.object({
  id: z.string(),
  owner: z.string(),
  title: z.string().nullish(),
  license: z.union([z.string(), z.number()]).transform(String).nullish(),
  ownername: z.string().nullish(),
  url_o: sizeUrl,
  url_6k: sizeUrl,
  url_5k: sizeUrl,
  url_4k: sizeUrl,
  url_3k: sizeUrl,
  url_k: sizeUrl,
  url_h: sizeUrl,
  url_l: sizeUrl,
  url_c: sizeUrl,
  url_z: sizeUrl,
  url_m: sizeUrl,
  url_n: sizeUrl,
});
type Photo = z.infer<typeof photoSchema>;

/** The page envelope; its photos are parsed one by one. */
const responseSchema = z.discriminatedUnion("stat", [
  z.object({
    stat: z.literal("ok"),
    photos: z.object({ page: numeric, pages: numeric, total: numeric, photo: z.array(z.unknown()) }),
  }),
  z.object({ stat: z.literal("fail"), code: z.number(), message: z.string() }),
]);

function licenseOf(id: string | null | undefined) {
  if (id === null || id === undefined) return {};
  const known = LICENSES[id];
  return known ? { license: known.name, licenseUrl: known.url } : { license: `Flickr license ${id}` };
}

/** The largest rendition the photo has, in the order of SIZES. */
function largestRendition(photo: Photo): string | undefined {
  for (const field of SIZE_FIELDS) {
    const url = photo[field]?.trim();
    if (url) return url;
  }
  return undefined;
}

function toItem(photo: Photo): RecordResult {
  const mediaUrl = largestRendition(photo);
  if (!mediaUrl) return drop(photo.id, `no image URL (none of ${SIZE_FIELDS.join(", ")})`);
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

export function createFlickr(options: { id: string; name: string; apiUrl: string | (() => string) }): SourceAdapter {
  return defineApiSource({
    entry: {
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
    },
    apiUrl: options.apiUrl,
    query: "text",
    firstPage: 1,
    async fetchPage({ client, request, query, page }) {
      const url = client.url("/", {
        method: "flickr.photos.search",
        api_key: client.key,
        text: query,
        sort: "relevance",
        media: "photos",
        extras: EXTRAS,
        safe_search: request.safeSearch ? SAFE : UNRESTRICTED,
        per_page: PAGE_SIZE,
        page,
        format: "json",
        nojsoncallback: 1,
      });
      const data = client.parse(responseSchema, await client.json(url));
      if (data.stat === "fail") {
        if (KEY_ERRORS.has(data.code)) client.refuse(`API key rejected (${data.message})`);
        throw new SourceError(`${client.name}: API error ${data.code}: ${data.message}`, undefined, RETRYABLE_ERRORS.has(data.code));
      }
      return { records: data.photos.photo, next: page < data.photos.pages ? page + 1 : null };
    },
    record: photoSchema,
    toItems: (photo) => toItem(photo),
  });
}
