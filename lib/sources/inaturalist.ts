import { z } from "zod";
import { licenseNameFromCode, resolveBase } from "@/lib/sources/museum-support";
import { nextPage, parsePositionCursor, slicePage } from "@/lib/sources/position-cursor";
import { fetchJson, parseResponse, requireQuery } from "@/lib/sources/source-http";
import { SourceError } from "@/lib/sources/types";
import type { SearchPage, SearchRequest, SourceAdapter, SourceContext, SourceItem } from "@/lib/sources/types";

// iNaturalist observations with photos (https://api.inaturalist.org/v1/docs/, GET /observations;
// photo URLs name their size, "square" -> "original" as open-source clients do). The API serves
// the first 10,000 results of a search and asks for about 60 requests a minute at most.

const PAGE_SIZE = 50;
const RESULT_WINDOW = 10_000;

const photoSchema = z.object({
  id: z.number(),
  url: z.string(),
  license_code: z.string().nullish(),
  attribution: z.string().nullish(),
});

const observationSchema = z.object({
  id: z.number(),
  uri: z.string().nullish(),
  species_guess: z.string().nullish(),
  taxon: z.object({ name: z.string().nullish(), preferred_common_name: z.string().nullish() }).nullish(),
  user: z.object({ login: z.string(), name: z.string().nullish() }).nullish(),
  photos: z.array(photoSchema),
});

const responseSchema = z.object({
  total_results: z.number(),
  page: z.number(),
  per_page: z.number(),
  results: z.array(observationSchema),
});

/** ".../photos/123/square.jpg?1545" -> ".../photos/123/original.jpg?1545". */
function photoSize(url: string, size: string) {
  return url.replace(/\/square(\.[a-z]+)(\?|$)/i, `/${size}$1$2`);
}

function license(photo: z.infer<typeof photoSchema>) {
  if (photo.license_code) return licenseNameFromCode(photo.license_code);
  // No license code: the attribution reads "(c) Name, all rights reserved".
  return photo.attribution && /all rights reserved/i.test(photo.attribution) ? "All rights reserved" : undefined;
}

function toItems(observation: z.infer<typeof observationSchema>): SourceItem[] {
  const title = observation.taxon?.preferred_common_name || observation.taxon?.name || observation.species_guess || undefined;
  const author = observation.user?.name || observation.user?.login || undefined;
  return observation.photos.map((photo) => ({
    remoteId: String(photo.id),
    mediaType: "image",
    mediaUrl: photoSize(photo.url, "original"),
    thumbnailUrl: photoSize(photo.url, "medium"),
    pageUrl: observation.uri ?? `https://www.inaturalist.org/observations/${observation.id}`,
    title,
    author,
    license: license(photo),
  }));
}

export function createInaturalist(options: { id: string; name: string; apiUrl: string | (() => string) }): SourceAdapter {
  /** One item per photo; the cursor is "<page>" or "<page>:<photos already returned>". */
  async function search(request: SearchRequest, context: SourceContext): Promise<SearchPage> {
    if (request.mediaTypes === "videos") return { items: [], nextCursor: null };
    const query = requireQuery(options.name, request);
    const at = parsePositionCursor(options.name, request.cursor, 1);
    if (at.index < 1 || at.index * PAGE_SIZE > RESULT_WINDOW) {
      throw new SourceError(`${options.name}: invalid cursor "${request.cursor}"`, undefined, false);
    }

    const url = new URL(`${resolveBase(options.apiUrl)}/observations`);
    url.searchParams.set("q", query);
    url.searchParams.set("photos", "true");
    url.searchParams.set("per_page", String(PAGE_SIZE));
    url.searchParams.set("page", String(at.index));
    const data = parseResponse(options.name, responseSchema, await fetchJson(options.name, context.http, url.href));

    const items = data.results.flatMap(toItems);
    const seen = at.index * PAGE_SIZE;
    const hasMore = data.results.length > 0 && seen < data.total_results && seen < RESULT_WINDOW;
    return slicePage(items, at, request.limit, nextPage(at.index, hasMore));
  }

  return {
    id: options.id,
    adapter: "inaturalist",
    name: options.name,
    description: "Nature photos from iNaturalist observations, with the observer's license and attribution.",
    homepage: "https://www.inaturalist.org/observations",
    category: "museums",
    mediaTypes: ["image"],
    input: "query",
    safeSearch: false,
    // iNaturalist asks API users to stay near 60 requests a minute.
    politeness: { requestsPerSecond: 1, concurrency: 1 },
    search,
  };
}
