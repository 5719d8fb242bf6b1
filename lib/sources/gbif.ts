import { z } from "zod";
import { defineApiSource, drop, type RecordResult } from "@/lib/sources/api-source";
import { licenseNameFromUrl } from "@/lib/sources/museum-support";
import type { SourceAdapter } from "@/lib/sources/types";

// GBIF occurrence search (https://techdocs.gbif.org/en/openapi/v1/occurrence, GET
// /v1/occurrence/search?q=&mediaType=StillImage&limit=&offset=; media[] carries identifier,
// creator, rightsHolder and license). Occurrence search pages stop at offset 100,000; GBIF
// publishes no request rate, so this stays gentle.
// Recorded occurrence searches (pygbif's VCR cassettes, tests/fixtures/sources/
// gbif-recorded.provenance.md) show media Trawl cannot use: arter.dk publishes .heic originals,
// and ALA serves "proxyImageThumbnailLarge" thumbnails as the identifier; both are dropped with
// their reason, as is any other medium that is not a still image or whose format is not an image
// (a PDF scan, a web page). They also show media licenses
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
type Media = z.infer<typeof mediaSchema>;

const occurrenceSchema = z.object({
  key: z.number(),
  scientificName: z.string().nullish(),
  recordedBy: z.string().nullish(),
  license: z.string().nullish(),
  media: z.array(mediaSchema).nullish(),
});
type Occurrence = z.infer<typeof occurrenceSchema>;

/** Occurrences are checked one by one, so one malformed occurrence does not fail the page. */
const responseSchema = z.object({
  offset: z.number(),
  count: z.number().nullish(),
  endOfRecords: z.boolean(),
  results: z.array(z.unknown()),
});

function isStillImage(media: Media) {
  return media.type ? media.type === "StillImage" : (media.format?.startsWith("image/") ?? false);
}

const HEIC = /\.(heic|heif)$/i;

/** The medium's file URL, or why it is not an item. */
function fileOf(media: Media): { url: string } | { reason: string } {
  if (!isStillImage(media)) return { reason: `a ${media.type ?? media.format ?? "typeless"} medium, not a still image` };
  if (!media.identifier || !URL.canParse(media.identifier)) return { reason: "no file URL" };
  const url = new URL(media.identifier);
  if (HEIC.test(url.pathname) || /^image\/hei[cf]/i.test(media.format ?? "")) return { reason: "HEIC, which Trawl cannot store" };
  if (media.format && !/^image\//i.test(media.format)) return { reason: `a file of type ${media.format}, which Trawl cannot store` };
  if (/thumb/i.test(url.pathname + url.search)) return { reason: "only the provider's thumbnail, not the image" };
  return { url: media.identifier };
}

function isUrl(text: string) {
  return /^https?:\/\//i.test(text);
}

/**
 * The medium's license; when that is a URL of no known license (a publisher's terms page) and the
 * occurrence has a known one, the occurrence's.
 */
function mediaLicense(media: Media, occurrence: Occurrence) {
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

/** One item per still image of the occurrence (the occurrence is handed back whole). */
function toItems(occurrence: Occurrence): RecordResult {
  const media = occurrence.media ?? [];
  if (media.length === 0) return drop(String(occurrence.key), "the occurrence lists no media");
  return media.map((medium, index) => {
    // The media list has no ids of its own; its position within the occurrence is stable.
    const remoteId = `${occurrence.key}-${index}`;
    const file = fileOf(medium);
    if ("reason" in file) return drop(remoteId, file.reason);
    return {
      remoteId,
      mediaType: "image" as const,
      mediaUrl: file.url,
      pageUrl: `https://www.gbif.org/occurrence/${occurrence.key}`,
      title: medium.title || occurrence.scientificName || undefined,
      author: medium.creator || medium.rightsHolder || occurrence.recordedBy || undefined,
      ...mediaLicense(medium, occurrence),
    };
  });
}

export function createGbif(options: { id: string; name: string; apiUrl: string | (() => string) }): SourceAdapter {
  return defineApiSource({
    entry: {
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
    },
    apiUrl: options.apiUrl,
    query: "text",
    // The cursor's page is the occurrence offset; the last page served starts 50 before the 100,000 limit.
    firstPage: 0,
    maxPage: OFFSET_LIMIT - PAGE_SIZE,
    async fetchPage({ client, query, page: offset }) {
      const url = client.url("/occurrence/search", { q: query, mediaType: "StillImage", limit: PAGE_SIZE, offset });
      const data = client.parse(responseSchema, await client.json(url));
      return { records: data.results, next: data.endOfRecords ? null : offset + data.results.length };
    },
    record: occurrenceSchema,
    recordIdOf: (raw) => {
      const key = typeof raw === "object" && raw !== null ? (raw as { key?: unknown }).key : undefined;
      return typeof key === "number" ? String(key) : undefined;
    },
    toItems: (occurrence) => toItems(occurrence),
  });
}
