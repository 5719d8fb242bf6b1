import { z } from "zod";
import { HttpError } from "@/lib/net/http-client";
import { resolveBase } from "@/lib/sources/museum-support";
import { nextPage, parsePositionCursor, slicePage } from "@/lib/sources/position-cursor";
import { parseResponse, requireQuery, toSourceError } from "@/lib/sources/source-http";
import { SourceError } from "@/lib/sources/types";
import type { SearchPage, SearchRequest, SourceAdapter, SourceContext, SourceItem } from "@/lib/sources/types";

// Library of Congress JSON API, photos endpoint (https://www.loc.gov/apis/json-and-yaml/ and its
// "Working Within Limits" page; SearXNG's loc.py): GET /photos/?q=&fo=json&c=&sp=, results[]
// with image_url lists whose "#h=&w=" fragments give each rendition's size, pagination.next.
// The documented limit for this endpoint family is 20 requests per 10 s and 80 per minute.

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

const responseSchema = z.object({
  results: z.array(resultSchema),
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

function first(value: string | string[] | null | undefined) {
  return (Array.isArray(value) ? value[0] : value) || undefined;
}

function toItem(result: z.infer<typeof resultSchema>): SourceItem | undefined {
  const images = (Array.isArray(result.image_url) ? result.image_url : result.image_url ? [result.image_url] : []).filter(Boolean);
  if (images.length === 0) return undefined;
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

export function createLoc(options: { id: string; name: string; apiUrl: string | (() => string) }): SourceAdapter {
  async function fetchPage(context: SourceContext, url: string) {
    try {
      return await context.http.getJson(url);
    } catch (error) {
      // loc.gov answers a search that matches nothing with a 404 whose JSON body says so; the HTTP
      // client does not pass error bodies on, so the message names both possible causes.
      if (error instanceof HttpError && error.status === 404) {
        throw new SourceError(`${options.name}: ${error.message} (loc.gov also answers 404 when nothing matches the search)`, 404, false);
      }
      throw toSourceError(options.name, error);
    }
  }

  async function search(request: SearchRequest, context: SourceContext): Promise<SearchPage> {
    if (request.mediaTypes === "videos") return { items: [], nextCursor: null };
    const query = requireQuery(options.name, request);
    const at = parsePositionCursor(options.name, request.cursor, 1);

    const url = new URL(`${resolveBase(options.apiUrl)}/photos/`);
    url.searchParams.set("q", query);
    url.searchParams.set("fo", "json");
    url.searchParams.set("at", "results,pagination");
    url.searchParams.set("c", String(PAGE_SIZE));
    url.searchParams.set("sp", String(at.index));
    const data = parseResponse(options.name, responseSchema, await fetchPage(context, url.href));

    const items = data.results.flatMap((result) => toItem(result) ?? []);
    return slicePage(items, at, request.limit, nextPage(at.index, Boolean(data.pagination.next) && data.results.length > 0));
  }

  return {
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
    search,
  };
}
