import { z } from "zod";
import { defineApiSource, drop, type RecordResult } from "@/lib/sources/api-source";
import { licenseNameFromCode } from "@/lib/sources/museum-support";
import type { SourceAdapter } from "@/lib/sources/types";

// iNaturalist observations with photos (https://api.inaturalist.org/v1/docs/, GET /observations;
// photo URLs name their size, "square" -> "original" as open-source clients do). The API serves
// the first 10,000 results of a search and asks for about 60 requests a minute at most.
// One item per photo of an observation (an observation is handed back whole); a photo that
// iNaturalist's moderators hid is dropped with that reason, as is an observation without photos.
// Tested on recorded GET /v1/observations responses (pyinat/pyinaturalist test/sample_data/v1, see
// tests/fixtures/sources/inaturalist-pyinaturalist-observations.provenance.md).

const PAGE_SIZE = 50;
const RESULT_WINDOW = 10_000;

const photoSchema = z.object({
  id: z.number(),
  url: z.string(),
  license_code: z.string().nullish(),
  attribution: z.string().nullish(),
  hidden: z.boolean().nullish(),
});
type Photo = z.infer<typeof photoSchema>;

const observationSchema = z.object({
  id: z.number(),
  uri: z.string().nullish(),
  species_guess: z.string().nullish(),
  taxon: z.object({ name: z.string().nullish(), preferred_common_name: z.string().nullish() }).nullish(),
  user: z.object({ login: z.string(), name: z.string().nullish() }).nullish(),
  photos: z.array(photoSchema),
});
type Observation = z.infer<typeof observationSchema>;

/** Observations are checked one by one, so one malformed observation does not fail the page. */
const responseSchema = z.object({
  total_results: z.number(),
  page: z.number(),
  per_page: z.number(),
  results: z.array(z.unknown()),
});

/** ".../photos/123/square.jpg?1545" -> ".../photos/123/original.jpg?1545". */
function photoSize(url: string, size: string) {
  return url.replace(/\/square(\.[a-z]+)(\?|$)/i, `/${size}$1$2`);
}

function license(photo: Photo) {
  if (photo.license_code) return licenseNameFromCode(photo.license_code);
  // No license code: the attribution reads "(c) Name, all rights reserved".
  return photo.attribution && /all rights reserved/i.test(photo.attribution) ? "All rights reserved" : undefined;
}

function toItems(observation: Observation): RecordResult {
  if (observation.photos.length === 0) return drop(String(observation.id), "the observation has no photos");
  const title = observation.taxon?.preferred_common_name || observation.taxon?.name || observation.species_guess || undefined;
  const author = observation.user?.name || observation.user?.login || undefined;
  return observation.photos.map((photo) =>
    photo.hidden
      ? drop(String(photo.id), "a photo hidden by iNaturalist's moderators")
      : {
          remoteId: String(photo.id),
          mediaType: "image" as const,
          mediaUrl: photoSize(photo.url, "original"),
          thumbnailUrl: photoSize(photo.url, "medium"),
          pageUrl: observation.uri ?? `https://www.inaturalist.org/observations/${observation.id}`,
          title,
          author,
          license: license(photo),
        },
  );
}

export function createInaturalist(options: { id: string; name: string; apiUrl: string | (() => string) }): SourceAdapter {
  return defineApiSource({
    entry: {
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
    },
    apiUrl: options.apiUrl,
    query: "text",
    firstPage: 1,
    // The 10,000-result window: page 200 of 50 is the last one served.
    maxPage: RESULT_WINDOW / PAGE_SIZE,
    async fetchPage({ client, query, page }) {
      const url = client.url("/observations", { q: query, photos: true, per_page: PAGE_SIZE, page });
      const data = client.parse(responseSchema, await client.json(url));
      return { records: data.results, next: page * PAGE_SIZE < data.total_results ? page + 1 : null };
    },
    record: observationSchema,
    toItems: (observation) => toItems(observation),
  });
}
