import { z } from "zod";
import { defineApiSource, drop, type RecordResult } from "@/lib/sources/api-source";
import { mediaTypeFromExtension } from "@/lib/sources/media-kinds";
import type { SourceClient } from "@/lib/sources/source-client";
import { SourceError, type SourceAdapter } from "@/lib/sources/types";

// Library of Congress JSON API, photos endpoint (https://www.loc.gov/apis/json-and-yaml/ and its
// "Working Within Limits" page; SearXNG's loc.py): GET /photos/?q=&fo=json&c=&sp=, results[]
// with image_url lists whose "#h=&w=" fragments give each rendition's size, pagination.next.
// The documented limit for this endpoint family is 20 requests per 10 s and 80 per minute.
// The largest rendition image_url lists is taken (a JPEG up to 1024 px, "...v.jpg"); the TIFF
// masters and full-size IIIF renderings are only listed by each item's own record
// (/item/<id>/?fo=json, resources[].files), which would cost a request per result for files of
// 50–150 MB, so they are left out. A protocol-relative URL ("//tile.loc.gov/...") is read as
// https; URLs that are not absolute, or whose extension is not an image Trawl stores, are not
// taken. Each result is handled on its own (the family base, api-source.ts): one without an
// image, or that fails its schema, is dropped with its reason and the page goes on.
// Recorded response: a loc.gov JSON API page recorded on 2026-10-09 by ironfis1/feel-first
// (tests/fixtures/ingest/loc.json: the works-progress-administration-posters collection endpoint,
// whose results[] have the photos endpoint's format). Its first two results, with the fields read
// here, are in tests/fixtures/sources/loc-recorded-wpa-posters-excerpt.json (see its provenance):
// image_url lists not ordered by size ("t.gif", "_150px.jpg", "r.jpg", "v.jpg" with #h=&w=),
// item.creators[].title, item.rights_advisory as a string. The 255 KB page itself could not be
// brought onto this machine, so only that excerpt is stored.

const PAGE_SIZE = 50;

const resultSchema = z.object({
  id: z.string(),
  title: z.string().nullish(),
  url: z.string().nullish(),
  image_url: z.union([z.string(), z.array(z.string())]).nullish(),
  item: z
    .object({
      creators: z.array(z.object({ title: z.string() })).nullish(),
      contributors: z.array(z.string()).nullish(),
      rights_advisory: z.union([z.string(), z.array(z.string())]).nullish(),
    })
    .nullish(),
});
type LocResult = z.infer<typeof resultSchema>;

/** Results are checked one by one, so one malformed result does not fail the page. */
const responseSchema = z.object({
  results: z.array(z.unknown()),
  pagination: z.object({ current: z.number(), next: z.string().nullish() }),
});

/** Pixels announced by an image_url's "#h=150&w=121" fragment; 0 when it has none. */
function area(url: string) {
  const h = /[#&]h=(\d+)/.exec(url)?.[1];
  const w = /[#&]w=(\d+)/.exec(url)?.[1];
  return h && w ? Number(h) * Number(w) : 0;
}

function withoutFragment(url: string) {
  return url.replace(/#.*$/, "");
}

/** An absolute https URL for a protocol-relative one; undefined for a URL that is not absolute. */
function absolute(url: string) {
  const full = url.startsWith("//") ? `https:${url}` : url;
  return URL.canParse(full) ? full : undefined;
}

function first(value: string | string[] | null | undefined) {
  return (Array.isArray(value) ? value[0] : value) || undefined;
}

function toItem(result: LocResult): RecordResult {
  const listed = (Array.isArray(result.image_url) ? result.image_url : result.image_url ? [result.image_url] : []).filter(Boolean);
  if (listed.length === 0) return drop(result.id, "no image (image_url is empty)");
  const images = listed.flatMap((url) => absolute(url) ?? []).filter((url) => mediaTypeFromExtension(withoutFragment(url)) === "image");
  if (images.length === 0) return drop(result.id, `no image file Trawl stores (image_url lists ${listed.map(withoutFragment).join(", ")})`);
  // The list runs from small to large; when the fragments give sizes, the largest wins.
  const largest = images.reduce((best, url) => (area(url) > area(best) ? url : best), images[images.length - 1]);
  return {
    remoteId: result.id,
    mediaType: "image",
    mediaUrl: withoutFragment(largest),
    thumbnailUrl: withoutFragment(images[0]),
    pageUrl: result.url ?? result.id,
    title: result.title?.replace(/^\[(.*)\]$/s, "$1") || undefined,
    author: result.item?.creators?.[0]?.title ?? result.item?.contributors?.[0] ?? undefined,
    license: first(result.item?.rights_advisory),
  };
}

/** The search page; loc.gov answers a search that matches nothing with a 404, which the message names. */
async function searchPage(client: SourceClient, url: URL) {
  try {
    return await client.json(url);
  } catch (error) {
    // The HTTP client does not pass error bodies on, so the message names both possible causes.
    if (error instanceof SourceError && error.status === 404) {
      throw new SourceError(`${error.message} (loc.gov also answers 404 when nothing matches the search)`, 404, false);
    }
    throw error;
  }
}

export function createLoc(options: { id: string; name: string; apiUrl: string | (() => string) }): SourceAdapter {
  return defineApiSource({
    entry: {
      id: options.id,
      adapter: "loc",
      name: options.name,
      description: "Photos, prints and drawings from the Library of Congress digital collections.",
      homepage: "https://www.loc.gov/photos/",
      category: "museums",
      mediaTypes: ["image"],
      input: "query",
      safeSearch: false,
      // Documented: 20 requests per 10 s in bursts, 80 per minute sustained, or a temporary block.
      politeness: { requestsPerSecond: 1, concurrency: 1 },
    },
    apiUrl: options.apiUrl,
    query: "text",
    firstPage: 1,
    async fetchPage({ client, query, page }) {
      const url = client.url("/photos/", { q: query, fo: "json", at: "results,pagination", c: PAGE_SIZE, sp: page });
      const data = client.parse(responseSchema, await searchPage(client, url));
      return { records: data.results, next: data.pagination.next ? page + 1 : null };
    },
    record: resultSchema,
    toItems: toItem,
  });
}
