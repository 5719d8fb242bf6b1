import { z } from "zod";
import { licenseNameFromUrl, resolveBase } from "@/lib/sources/museum-support";
import { parsePositionCursor, slicePage } from "@/lib/sources/position-cursor";
import { fetchJson, parseResponse, requireQuery } from "@/lib/sources/source-http";
import {
  SourceError,
  type SearchPage,
  type SearchRequest,
  type SourceAdapter,
  type SourceContext,
  type SourceItem,
} from "@/lib/sources/types";

// GBIF occurrence search (https://techdocs.gbif.org/en/openapi/v1/occurrence, GET
// /v1/occurrence/search?q=&mediaType=StillImage&limit=&offset=; media[] carries identifier,
// creator, rightsHolder and license). Occurrence search pages stop at offset 100,000; GBIF
// publishes no request rate, so this stays gentle.

const PAGE_SIZE = 50;
const OFFSET_LIMIT = 100_000;

const mediaSchema = z.object({
  type: z.string().nullish(),
  format: z.string().nullish(),
  identifier: z.string().nullish(),
  references: z.string().nullish(),
  title: z.string().nullish(),
  creator: z.string().nullish(),
  rightsHolder: z.string().nullish(),
  license: z.string().nullish(),
});

const occurrenceSchema = z.object({
  key: z.number(),
  scientificName: z.string().nullish(),
  recordedBy: z.string().nullish(),
  license: z.string().nullish(),
  media: z.array(mediaSchema).nullish(),
});

const responseSchema = z.object({
  offset: z.number(),
  count: z.number().nullish(),
  endOfRecords: z.boolean(),
  results: z.array(occurrenceSchema),
});

function isStillImage(media: z.infer<typeof mediaSchema>) {
  return media.type ? media.type === "StillImage" : (media.format?.startsWith("image/") ?? false);
}

function licenseOf(text: string | null | undefined) {
  if (!text) return {};
  const isUrl = /^https?:\/\//i.test(text);
  return { license: (isUrl ? licenseNameFromUrl(text) : undefined) ?? (isUrl ? undefined : text), licenseUrl: isUrl ? text : undefined };
}

function toItems(occurrence: z.infer<typeof occurrenceSchema>): SourceItem[] {
  return (occurrence.media ?? []).flatMap((media, index) => {
    if (!media.identifier || !isStillImage(media)) return [];
    return [
      {
        // The media list has no ids of its own; its position within the occurrence is stable.
        remoteId: `${occurrence.key}-${index}`,
        mediaType: "image" as const,
        mediaUrl: media.identifier,
        pageUrl: `https://www.gbif.org/occurrence/${occurrence.key}`,
        title: media.title || occurrence.scientificName || undefined,
        author: media.creator || media.rightsHolder || occurrence.recordedBy || undefined,
        ...licenseOf(media.license ?? occurrence.license),
      },
    ];
  });
}

export function createGbif(options: { id: string; name: string; apiUrl: string | (() => string) }): SourceAdapter {
  /** One item per still image; the cursor is the occurrence offset plus the images already returned. */
  async function search(request: SearchRequest, context: SourceContext): Promise<SearchPage> {
    if (request.mediaTypes === "videos") return { items: [], nextCursor: null };
    const query = requireQuery(options.name, request);
    const at = parsePositionCursor(options.name, request.cursor, 0);
    if (at.index + PAGE_SIZE > OFFSET_LIMIT) throw new SourceError(`${options.name}: invalid cursor "${request.cursor}"`, undefined, false);

    const url = new URL(`${resolveBase(options.apiUrl)}/occurrence/search`);
    url.searchParams.set("q", query);
    url.searchParams.set("mediaType", "StillImage");
    url.searchParams.set("limit", String(PAGE_SIZE));
    url.searchParams.set("offset", String(at.index));
    const data = parseResponse(options.name, responseSchema, await fetchJson(options.name, context.http, url.href));

    const items = data.results.flatMap(toItems);
    const following = at.index + data.results.length;
    const hasMore = !data.endOfRecords && data.results.length > 0 && following + PAGE_SIZE <= OFFSET_LIMIT;
    return slicePage(items, at, request.limit, hasMore ? { index: following, skip: 0 } : null);
  }

  return {
    id: options.id,
    adapter: "gbif",
    name: options.name,
    description: "Specimen and observation photos shared through the Global Biodiversity Information Facility.",
    homepage: "https://www.gbif.org/occurrence/gallery",
    category: "museums",
    mediaTypes: ["image"],
    input: "query",
    safeSearch: false,
    // No published request rate: stay gentle.
    politeness: { requestsPerSecond: 2, concurrency: 1 },
    search,
  };
}
