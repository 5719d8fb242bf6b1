import { z } from "zod";
import { resolveBase } from "@/lib/sources/museum-support";
import { nextPage, parsePositionCursor, slicePage } from "@/lib/sources/position-cursor";
import { fetchJson, parseResponse, requireQuery } from "@/lib/sources/source-http";
import type { SearchPage, SearchRequest, SourceAdapter, SourceContext, SourceItem } from "@/lib/sources/types";

// Wellcome Collection Catalogue API images search (developers.wellcomecollection.org, notebook
// "03-connecting-the-apis-together": GET /catalogue/v2/images?query=, locations[0].license,
// source.title, and IIIF image URLs made by replacing info.json in the location's URL).
// "full/max" asks the IIIF server for the largest size it allows; the docs show "full/640,".
// No rate limit is published.

const PAGE_SIZE = 50;

const locationSchema = z.object({
  url: z.string(),
  license: z.object({ id: z.string(), label: z.string(), url: z.string().nullish() }).nullish(),
  credit: z.string().nullish(),
});

const imageSchema = z.object({
  id: z.string(),
  locations: z.array(locationSchema),
  source: z.object({
    id: z.string(),
    title: z.string().nullish(),
    contributors: z.array(z.object({ agent: z.object({ label: z.string() }) })).nullish(),
  }),
});

const responseSchema = z.object({
  totalPages: z.number(),
  totalResults: z.number(),
  results: z.array(imageSchema),
});

function toItem(image: z.infer<typeof imageSchema>): SourceItem | undefined {
  const location = image.locations.find((l) => /\/info\.json$/.test(l.url));
  if (!location) return undefined;
  const iiif = location.url.replace(/\/info\.json$/, "");
  return {
    remoteId: image.id,
    mediaType: "image",
    mediaUrl: `${iiif}/full/max/0/default.jpg`,
    thumbnailUrl: `${iiif}/full/400,/0/default.jpg`,
    pageUrl: `https://wellcomecollection.org/works/${encodeURIComponent(image.source.id)}`,
    title: image.source.title ?? undefined,
    author: image.source.contributors?.[0]?.agent.label ?? location.credit ?? undefined,
    license: location.license?.label,
    licenseUrl: location.license?.url ?? undefined,
  };
}

export function createWellcome(options: { id: string; name: string; apiUrl: string | (() => string) }): SourceAdapter {
  async function search(request: SearchRequest, context: SourceContext): Promise<SearchPage> {
    if (request.mediaTypes === "videos") return { items: [], nextCursor: null };
    const query = requireQuery(options.name, request);
    const at = parsePositionCursor(options.name, request.cursor, 1);

    const url = new URL(`${resolveBase(options.apiUrl)}/images`);
    url.searchParams.set("query", query);
    url.searchParams.set("pageSize", String(PAGE_SIZE));
    url.searchParams.set("page", String(at.index));
    url.searchParams.set("include", "source.contributors");
    const data = parseResponse(options.name, responseSchema, await fetchJson(options.name, context.http, url.href));

    const items = data.results.flatMap((image) => toItem(image) ?? []);
    return slicePage(items, at, request.limit, nextPage(at.index, at.index < data.totalPages && data.results.length > 0));
  }

  return {
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
    search,
  };
}
