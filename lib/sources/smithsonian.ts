import { z } from "zod";
import { defineApiSource, drop, type RecordResult } from "@/lib/sources/api-source";
import type { SourceAdapter } from "@/lib/sources/types";

// Smithsonian Open Access API (https://edan.si.edu/openaccess/apidocs/, through api.data.gov):
// GET /openaccess/api/v1.0/search?q=&api_key=&rows=&start=; a row's images are in
// content.descriptiveNonRepeating.online_media.media[] (content, thumbnail, usage.access), and
// "online_media_type:Images" narrows the search, as in the Smithsonian's own examples and a
// client guide. api.data.gov keys default to 1,000 requests an hour.
// The file downloaded is the medium's "High-resolution JPEG" resource when it lists one (the
// full-size file), else its content URL (IDS's delivery service). The author is the first
// freetext.name whose label names a maker, not a subject, sitter or owner of the object. A row
// without online media, a medium that is not an image (a 3D package, a video page) and one
// without a file URL are dropped, each with its reason.
// Tested on rows recorded from api.si.edu by the Openverse catalog team (WordPress/openverse-catalog
// …/resources/smithsonian/, see tests/fixtures/sources/smithsonian-openverse.provenance.md).

const PAGE_SIZE = 50;

/** freetext.name labels of people who did not make the object (the rest — Creator, Artist, Collector, … — did, or gathered it). */
const NOT_A_MAKER = /^(subject|sitter|depicted|associated|owner|former owner|previous owner|donor|patron|recipient|addressee)\b/i;

const mediaSchema = z.object({
  type: z.string().nullish(),
  content: z.string().nullish(),
  thumbnail: z.string().nullish(),
  idsId: z.string().nullish(),
  usage: z.object({ access: z.string().nullish() }).nullish(),
  resources: z.array(z.object({ label: z.string().nullish(), url: z.string().nullish() })).nullish(),
});
type Media = z.infer<typeof mediaSchema>;

const rowSchema = z.object({
  id: z.string(),
  title: z.string().nullish(),
  content: z.object({
    descriptiveNonRepeating: z.object({
      record_link: z.string().nullish(),
      guid: z.string().nullish(),
      online_media: z.object({ media: z.array(mediaSchema).nullish() }).nullish(),
    }),
    freetext: z.object({ name: z.array(z.object({ content: z.string(), label: z.string().nullish() })).nullish() }).nullish(),
  }),
});
type Row = z.infer<typeof rowSchema>;

/** Rows are checked one by one, so one malformed row does not fail the page. */
const responseSchema = z.object({
  response: z.object({ rowCount: z.number(), rows: z.array(z.unknown()) }),
});

/** The full-size JPEG IDS lists among the medium's resources, if any. */
function highResolution(media: Media) {
  const jpeg = media.resources?.find((resource) => /^high-resolution jpe?g$/i.test(resource.label?.trim() ?? ""));
  return jpeg?.url && URL.canParse(jpeg.url) ? jpeg.url : undefined;
}

function authorOf(row: Row) {
  return row.content.freetext?.name?.find((name) => !NOT_A_MAKER.test(name.label?.trim() ?? ""))?.content;
}

function toItems(row: Row): RecordResult {
  const record = row.content.descriptiveNonRepeating;
  const media = record.online_media?.media ?? [];
  if (media.length === 0) return drop(row.id, "the record lists no online media");
  return media.map((medium, index) => {
    const remoteId = medium.idsId || `${row.id}-${index}`;
    if (medium.type && medium.type !== "Images") return drop(remoteId, `a ${medium.type} medium, not an image`);
    const mediaUrl = highResolution(medium) ?? medium.content;
    if (!mediaUrl) return drop(remoteId, "no file URL");
    const cc0 = medium.usage?.access === "CC0";
    return {
      remoteId,
      mediaType: "image" as const,
      mediaUrl,
      thumbnailUrl: medium.thumbnail || undefined,
      pageUrl: record.record_link || record.guid || undefined,
      title: row.title || undefined,
      author: authorOf(row),
      license: cc0 ? "CC0 1.0" : (medium.usage?.access ?? undefined),
      licenseUrl: cc0 ? "https://creativecommons.org/publicdomain/zero/1.0/" : undefined,
    };
  });
}

export function createSmithsonian(options: { id: string; name: string; apiUrl: string | (() => string) }): SourceAdapter {
  return defineApiSource({
    entry: {
      id: options.id,
      adapter: "smithsonian",
      name: options.name,
      description: "Open Access images from the Smithsonian's museums, archives and zoo, mostly CC0.",
      homepage: "https://www.si.edu/openaccess",
      category: "museums",
      mediaTypes: ["image"],
      input: "query",
      safeSearch: false,
      key: {
        label: "api.data.gov API key",
        help: "Sign up for a free key at https://api.data.gov/signup/ (it works for the Smithsonian Open Access API).",
      },
      // api.data.gov's default limit is 1,000 requests an hour per key.
      politeness: { requestsPerSecond: 0.25, concurrency: 1 },
    },
    apiUrl: options.apiUrl,
    query: "text",
    // The cursor's page is the row offset ("start").
    firstPage: 0,
    async fetchPage({ client, query, page: start }) {
      const url = client.url("/search", { q: `(${query}) AND online_media_type:Images`, rows: PAGE_SIZE, start, api_key: client.key });
      const { rows, rowCount } = client.parse(responseSchema, await client.json(url)).response;
      const following = start + rows.length;
      return { records: rows, next: following < rowCount ? following : null };
    },
    record: rowSchema,
    toItems: (row) => toItems(row),
  });
}
