import { z } from "zod";
import { defineApiSource, drop, type RecordResult } from "@/lib/sources/api-source";
import type { SourceAdapter } from "@/lib/sources/types";

// Wellcome Collection Catalogue API images search (developers.wellcomecollection.org, notebook
// "03-connecting-the-apis-together": GET /catalogue/v2/images?query=, locations[0].license,
// source.title, and IIIF image URLs made by replacing info.json in the location's URL).
// "full/max" asks the IIIF server for the largest size it allows; the docs show "full/640,".
// The author is the work's primary contributor (the first one when none is marked primary), else
// the location's credit line. An image without a IIIF image location (info.json) is dropped with
// that reason. No rate limit is published.
// No recorded response of GET /catalogue/v2/images was found: searched the code, issues and
// pages corpora (the "IIIF Image API" location label, api.wellcomecollection.org/catalogue/v2/images
// URLs, ResultList bodies), wellcomecollection/developers.wellcomecollection.org (its notebooks are
// stored without outputs, its OpenAPI reference has no response examples) and
// wellcomecollection/wellcomecollection.org's mocks (IIIF manifests only); Wellcome's own API tests
// build their responses from generated records, and Openverse never integrated the collection
// (WordPress/openverse#1753). The tests use hand-written pages in the documented shape.

const PAGE_SIZE = 50;

const locationSchema = z.object({
  url: z.string(),
  license: z.object({ id: z.string(), label: z.string(), url: z.string().nullish() }).nullish(),
  credit: z.string().nullish(),
});

const contributorSchema = z.object({ agent: z.object({ label: z.string() }), primary: z.boolean().nullish() });

const imageSchema = z.object({
  id: z.string(),
  locations: z.array(locationSchema),
  source: z.object({
    id: z.string(),
    title: z.string().nullish(),
    contributors: z.array(contributorSchema).nullish(),
  }),
});
type Image = z.infer<typeof imageSchema>;

/** Images are checked one by one, so one malformed image does not fail the page. */
const responseSchema = z.object({
  totalPages: z.number(),
  totalResults: z.number(),
  results: z.array(z.unknown()),
});

function authorOf(image: Image, credit: string | null | undefined) {
  const contributors = image.source.contributors ?? [];
  const contributor = contributors.find((each) => each.primary) ?? contributors[0];
  return contributor?.agent.label ?? credit ?? undefined;
}

function toItem(image: Image): RecordResult {
  const location = image.locations.find((l) => /\/info\.json$/.test(l.url));
  if (!location) return drop(image.id, "no IIIF image location (info.json)");
  const iiif = location.url.replace(/\/info\.json$/, "");
  return {
    remoteId: image.id,
    mediaType: "image",
    mediaUrl: `${iiif}/full/max/0/default.jpg`,
    thumbnailUrl: `${iiif}/full/400,/0/default.jpg`,
    pageUrl: `https://wellcomecollection.org/works/${encodeURIComponent(image.source.id)}`,
    title: image.source.title ?? undefined,
    author: authorOf(image, location.credit),
    license: location.license?.label,
    licenseUrl: location.license?.url ?? undefined,
  };
}

export function createWellcome(options: { id: string; name: string; apiUrl: string | (() => string) }): SourceAdapter {
  return defineApiSource({
    entry: {
      id: options.id,
      adapter: "wellcome",
      name: options.name,
      description: "Images from the Wellcome Collection's museum and library on health and medicine, with licenses.",
      homepage: "https://wellcomecollection.org/search/images",
      category: "museums",
      mediaTypes: ["image"],
      input: "query",
      safeSearch: false,
      // No published limit: stay gentle.
      politeness: { requestsPerSecond: 2, concurrency: 1 },
    },
    apiUrl: options.apiUrl,
    query: "text",
    firstPage: 1,
    async fetchPage({ client, query, page }) {
      const url = client.url("/images", { query, pageSize: PAGE_SIZE, page, include: "source.contributors" });
      const data = client.parse(responseSchema, await client.json(url));
      return { records: data.results, next: page < data.totalPages ? page + 1 : null };
    },
    record: imageSchema,
    toItems: (image) => toItem(image),
  });
}
