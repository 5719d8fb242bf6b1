import { z } from "zod";
import { refusedFormat } from "@/lib/sources/media-kinds";
import { defineApiSource, drop, type RecordResult } from "@/lib/sources/api-source";
import { licenseNameFromUrl } from "@/lib/sources/museum-support";
import type { SourceAdapter } from "@/lib/sources/types";

// DPLA API v2 (https://pro.dp.la/developers/api-codex, requests and responses): GET
// /v2/items?q=&api_key=&page_size=&page=, filtered with sourceResource.type=image; docs[] carry
// isShownAt (the provider's page), object (a thumbnail) and sometimes hasView (the full view),
// sourceResource.title/creator and rights (keys: POST /v2/api_key/{email}, as rdpla documents).
// The 100-page ceiling is from memory of the codex, not found in the search tool's copies.
// No request rate is published.
// License: the doc's `rights` (DPLA's standardized edm:rights URI); when a doc has none, the
// provider's own words in sourceResource.rights. A doc with neither hasView nor object, or whose
// file is of a format Trawl refuses (a PDF, an SVG …), is dropped with that reason.
// Tested on a recorded /v2/items?q=kittens response (cmgoon/is310-coding-assignments
// api-getting-data/dpla_kittens.json, see tests/fixtures/sources/dpla-recorded-kittens.provenance.md).

const PAGE_SIZE = 50;
const MAX_PAGE = 100;

/** File extensions of formats Trawl does not store, which a provider's hasView sometimes names. */

const stringOrList = z.union([z.string(), z.array(z.string())]);
const viewSchema = z.object({ "@id": z.string().nullish() });

const docSchema = z.object({
  id: z.string(),
  isShownAt: z.string().nullish(),
  object: z.string().nullish(),
  hasView: z.union([viewSchema, z.array(viewSchema)]).nullish(),
  rights: stringOrList.nullish(),
  sourceResource: z.object({ title: stringOrList.nullish(), creator: stringOrList.nullish(), rights: stringOrList.nullish() }).nullish(),
});
type Doc = z.infer<typeof docSchema>;

/** Docs are checked one by one, so one malformed doc does not fail the page. */
const responseSchema = z.object({ count: z.number(), docs: z.array(z.unknown()) });

function first(value: string | string[] | null | undefined) {
  return (Array.isArray(value) ? value[0] : value) || undefined;
}

function toItem(doc: Doc): RecordResult {
  const view = (Array.isArray(doc.hasView) ? doc.hasView[0] : doc.hasView)?.["@id"] ?? undefined;
  // DPLA's own `object` is only a thumbnail; it is the media only when the record names no
  // full view (hasView), as DPLA hosts no full-size files and providers rarely link them.
  const media = view ?? doc.object ?? undefined;
  if (!media) return drop(doc.id, "no image link (neither hasView nor object)");
  const refused = refusedFormat(media);
  if (refused) return drop(doc.id, refused);
  const rights = first(doc.rights) ?? first(doc.sourceResource?.rights);
  const rightsUrl = rights && /^https?:\/\//i.test(rights) ? rights : undefined;
  return {
    remoteId: doc.id,
    mediaType: "image",
    mediaUrl: media,
    thumbnailUrl: doc.object ?? undefined,
    pageUrl: doc.isShownAt ?? `https://dp.la/item/${encodeURIComponent(doc.id)}`,
    title: first(doc.sourceResource?.title),
    author: first(doc.sourceResource?.creator),
    license: rightsUrl ? licenseNameFromUrl(rightsUrl) : rights,
    licenseUrl: rightsUrl,
  };
}

export function createDpla(options: { id: string; name: string; apiUrl: string | (() => string) }): SourceAdapter {
  return defineApiSource({
    entry: {
      id: options.id,
      adapter: "dpla",
      name: options.name,
      description: "Images from American libraries, archives and museums via the Digital Public Library of America (often thumbnails).",
      homepage: "https://dp.la/",
      category: "museums",
      mediaTypes: ["image"],
      input: "query",
      safeSearch: false,
      key: {
        label: "DPLA API key",
        help: "Request a free key with curl -v -XPOST https://api.dp.la/v2/api_key/YOUR_EMAIL (see https://pro.dp.la/developers/policies); it arrives by email.",
      },
      // No published rate: one request at a time.
      politeness: { requestsPerSecond: 1, concurrency: 1 },
    },
    apiUrl: options.apiUrl,
    query: "text",
    firstPage: 1,
    maxPage: MAX_PAGE,
    async fetchPage({ client, query, page }) {
      const url = client.url("/items", { q: query, "sourceResource.type": "image", page_size: PAGE_SIZE, page, api_key: client.key });
      const data = client.parse(responseSchema, await client.json(url));
      return { records: data.docs, next: page * PAGE_SIZE < data.count ? page + 1 : null };
    },
    record: docSchema,
    toItems: (doc) => toItem(doc),
  });
}
