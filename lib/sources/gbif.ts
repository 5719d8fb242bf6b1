import { z } from "zod";
import { licenseNameFromUrl, resolveBase } from "@/lib/sources/museum-support";
import { parsePositionCursor, slicePage } from "@/lib/sources/position-cursor";
import { fetchJson, parseResponse, requireQuery } from "@/lib/sources/source-http";
import { SourceError } from "@/lib/sources/types";
import type { DroppedRecord, SearchPage, SearchRequest, SourceAdapter, SourceContext, SourceItem } from "@/lib/sources/types";

// GBIF occurrence search (https://techdocs.gbif.org/en/openapi/v1/occurrence, GET
// /v1/occurrence/search?q=&mediaType=StillImage&limit=&offset=; media[] carries identifier,
// creator, rightsHolder and license). Occurrence search pages stop at offset 100,000; GBIF
// publishes no request rate, so this stays gentle.
// Recorded occurrence searches (pygbif's VCR cassettes, tests/fixtures/sources/
// gbif-recorded.provenance.md) show media Trawl cannot use: arter.dk publishes .heic originals,
// and ALA serves "proxyImageThumbnailLarge" thumbnails as the identifier; both are dropped with
// their reason, as is any other medium that is not a still image. They also show media licenses
// that are a publisher's own terms page (huh.harvard.edu) on occurrences licensed CC BY 4.0: the
// occurrence's license is used then.

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

const HEIC = /\.(heic|heif)$/i;

/** Why a medium is not an item, or undefined when it becomes one. */
function unusable(media: z.infer<typeof mediaSchema>): string | undefined {
  if (!isStillImage(media)) return `a ${media.type ?? media.format ?? "typeless"} medium, not a still image`;
  if (!media.identifier || !URL.canParse(media.identifier)) return "no file URL";
  const url = new URL(media.identifier);
  if (HEIC.test(url.pathname) || /^image\/hei[cf]/i.test(media.format ?? "")) return "HEIC, which Trawl cannot store";
  if (/thumb/i.test(url.pathname + url.search)) return "only the provider's thumbnail, not the image";
  return undefined;
}

function isUrl(text: string) {
  return /^https?:\/\//i.test(text);
}

/**
 * The medium's license; when that is a URL of no known license (a publisher's terms page) and the
 * occurrence has a known one, the occurrence's.
 */
function mediaLicense(media: z.infer<typeof mediaSchema>, occurrence: z.infer<typeof occurrenceSchema>) {
  const own = media.license;
  if (own && isUrl(own) && !licenseNameFromUrl(own) && occurrence.license && licenseOf(occurrence.license).license)
    return licenseOf(occurrence.license);
  return licenseOf(own ?? occurrence.license);
}

function licenseOf(text: string | null | undefined) {
  if (!text) return {};
  const url = isUrl(text);
  return { license: (url ? licenseNameFromUrl(text) : undefined) ?? (url ? undefined : text), licenseUrl: url ? text : undefined };
}

type Entry = { item: SourceItem } | { dropped: DroppedRecord };

function toEntries(occurrence: z.infer<typeof occurrenceSchema>): Entry[] {
  const media = occurrence.media ?? [];
  if (media.length === 0) return [{ dropped: { remoteId: String(occurrence.key), reason: "the occurrence lists no media" } }];
  return media.map((medium, index) => {
    // The media list has no ids of its own; its position within the occurrence is stable.
    const remoteId = `${occurrence.key}-${index}`;
    const reason = unusable(medium);
    if (reason || !medium.identifier) return { dropped: { remoteId, reason: reason ?? "no file URL" } };
    return {
      item: {
        remoteId,
        mediaType: "image" as const,
        mediaUrl: medium.identifier,
        pageUrl: `https://www.gbif.org/occurrence/${occurrence.key}`,
        title: medium.title || occurrence.scientificName || undefined,
        author: medium.creator || medium.rightsHolder || occurrence.recordedBy || undefined,
        ...mediaLicense(medium, occurrence),
      },
    };
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

    const items: SourceItem[] = [];
    // Each dropped medium with the number of items before it, so it is reported by the one call
    // whose slice of this page reaches it (the last slice reports those after the last item).
    const drops: { before: number; record: DroppedRecord }[] = [];
    for (const entry of data.results.flatMap(toEntries)) {
      if ("item" in entry) items.push(entry.item);
      else drops.push({ before: items.length, record: entry.dropped });
    }
    const following = at.index + data.results.length;
    const hasMore = !data.endOfRecords && data.results.length > 0 && following + PAGE_SIZE <= OFFSET_LIMIT;
    const page = slicePage(items, at, request.limit, hasMore ? { index: following, skip: 0 } : null);
    const end = at.skip + Math.max(0, request.limit);
    const dropped = drops.filter(({ before }) => before >= at.skip && (before < end || end >= items.length)).map(({ record }) => record);
    return dropped.length > 0 ? { ...page, dropped } : page;
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
