import { z } from "zod";
import { defineApiSource, drop, type RecordResult } from "@/lib/sources/api-source";
import { malformedRecord } from "@/lib/sources/records";
import type { SourceClient } from "@/lib/sources/source-client";
import type { SourceAdapter, SourceItem } from "@/lib/sources/types";

// The Met Collection API (https://metmuseum.github.io/): search returns object IDs, each object is
// read from /v1/objects/{id} (primaryImage, artistDisplayName, isPublicDomain, objectURL). Search
// uses the paginated /v1.1/search (offset, limit 1–500, first 10,000 matches) that replaced
// /v1/search on 2026-10-01; that endpoint is known from recent open-source clients, the stored
// copy of the official docs predates it. Documented politeness: at most 80 requests a second.
// No recorded response of /v1.1/search was found (client libraries, cassettes, other tools' test
// data, issues), nor a verbatim one of /v1/search (the docs' examples are abbreviated); the
// recorded-data test uses two /v1/objects/{id} responses recorded by Openverse's Met provider
// tests (tests/fixtures/sources/met-recorded-object-45734.provenance.md) behind a hand-written search.
// Each batch of 20 ids is a page (the cursor's page is its offset); each id is a record of the
// family base (api-source.ts), read four at a time and only as many as the limit needs. Every
// image an object offers is taken: primaryImage (the original JPEG) and each of additionalImages,
// the extra ones as "<objectID>-<n>", all returned together (a call may return a few more items
// than its limit). Objects without an image (withheld, not Open Access), unknown to the objects
// endpoint (404 or 410) or malformed are dropped with their reason and the batch goes on; other
// failures of an object request (5xx, 429, network) fail the page, for the engine to retry.

const BATCH = 20;
const RESULT_WINDOW = 10_000;
const OBJECT_CONCURRENCY = 4;

const searchSchema = z.object({
  total: z.number(),
  // null when nothing matches, contrary to the docs' [] (metmuseum/openaccess#44).
  objectIDs: z.array(z.number()).nullable(),
});

const objectSchema = z.object({
  objectID: z.number(),
  isPublicDomain: z.boolean().nullish(),
  primaryImage: z.string().nullish(),
  primaryImageSmall: z.string().nullish(),
  additionalImages: z.array(z.string()).nullish(),
  title: z.string().nullish(),
  artistDisplayName: z.string().nullish(),
  objectURL: z.string().nullish(),
});
type MetObject = z.infer<typeof objectSchema>;

/** The object's images, the primary one first: one item each. */
function itemsOf(object: MetObject): SourceItem[] {
  // hasImages=true still lists objects whose image is withheld (metmuseum/openaccess#57).
  if (!object.primaryImage) return [];
  const urls = [...new Set([object.primaryImage, ...(object.additionalImages ?? []).filter(Boolean)])];
  const id = String(object.objectID);
  return urls.map((url, n) => ({
    remoteId: n === 0 ? id : `${id}-${n}`,
    mediaType: "image",
    mediaUrl: url,
    thumbnailUrl: (n === 0 && object.primaryImageSmall) || undefined,
    pageUrl: object.objectURL || undefined,
    title: object.title || undefined,
    author: object.artistDisplayName || undefined,
    license: object.isPublicDomain ? "CC0 1.0" : undefined,
    licenseUrl: object.isPublicDomain ? "https://creativecommons.org/publicdomain/zero/1.0/" : undefined,
  }));
}

/** One object id of the search -> its items, read from the objects endpoint. */
async function toItems(id: number, client: SourceClient): Promise<RecordResult> {
  // Withdrawn or loaned objects answer 404 "Not a valid object" / "ObjectID not found"
  // (metmuseum/openaccess#47, #56): they have no image to offer.
  const body = await client.json(`${client.base}/v1/objects/${id}`, { gone: "the objects endpoint does not know it" });
  const parsed = objectSchema.safeParse(body, { reportInput: true });
  if (!parsed.success) return { dropped: malformedRecord(body, parsed.error, String(id), "object") };
  const items = itemsOf(parsed.data);
  return items.length > 0 ? items : drop(String(id), "no image offered (primaryImage is empty)");
}

export function createMet(options: { id: string; name: string; apiUrl: string | (() => string) }): SourceAdapter {
  return defineApiSource({
    entry: {
      id: options.id,
      adapter: "met",
      name: options.name,
      description: "Open Access images of artworks at The Metropolitan Museum of Art, public-domain works under CC0.",
      homepage: "https://www.metmuseum.org/art/collection",
      category: "museums",
      mediaTypes: ["image"],
      input: "query",
      safeSearch: false,
      // Documented ceiling is 80 requests a second; far below it, as asked.
      politeness: { requestsPerSecond: 10, concurrency: OBJECT_CONCURRENCY },
    },
    apiUrl: options.apiUrl,
    query: "text",
    // The page is the offset of its first id in the search's result list.
    firstPage: 0,
    maxPage: RESULT_WINDOW - 1,
    // Each id costs an object request, so only as many are read as the limit needs.
    recordConcurrency: OBJECT_CONCURRENCY,
    async fetchPage({ client, query, page }) {
      const url = client.url("/v1.1/search", { q: query, hasImages: true, offset: page, limit: Math.min(BATCH, RESULT_WINDOW - page) });
      const found = client.parse(searchSchema, await client.json(url));
      const ids = found.objectIDs ?? [];
      const following = page + ids.length;
      return { records: ids, next: following < Math.min(found.total, RESULT_WINDOW) ? following : null };
    },
    record: z.number().int(),
    recordIdOf: (raw) => (typeof raw === "number" ? String(raw) : undefined),
    toItems: (id, { client }) => toItems(id, client),
  });
}
