import { z } from "zod";
import { HttpError } from "@/lib/net/http-client";
import { resolveBase } from "@/lib/sources/museum-support";
import { formatPositionCursor, parsePositionCursor } from "@/lib/sources/position-cursor";
import { fetchJson, parseResponse, requireQuery, toSourceError } from "@/lib/sources/source-http";
import { SourceError } from "@/lib/sources/types";
import type { DroppedRecord, SearchPage, SearchRequest, SourceAdapter, SourceContext, SourceItem } from "@/lib/sources/types";
import { malformedRecord } from "@/lib/sources/records";

// The Met Collection API (https://metmuseum.github.io/): search returns object IDs, each object is
// read from /v1/objects/{id} (primaryImage, artistDisplayName, isPublicDomain, objectURL). Search
// uses the paginated /v1.1/search (offset, limit 1–500, first 10,000 matches) that replaced
// /v1/search on 2026-10-01; that endpoint is known from recent open-source clients, the stored
// copy of the official docs predates it. Documented politeness: at most 80 requests a second.
// No recorded response of /v1.1/search was found (client libraries, cassettes, other tools' test
// data, issues), nor a verbatim one of /v1/search (the docs' examples are abbreviated); the
// recorded-data test uses two /v1/objects/{id} responses recorded by Openverse's Met provider
// tests (tests/fixtures/sources/met-recorded-object-45734.provenance.md) behind a hand-written search.
// Every image an object offers is taken: primaryImage (the original JPEG) and each of
// additionalImages, the extra ones as "<objectID>-<n>"; the cursor "<offset>:<images taken>"
// resumes inside an object when the limit cut it. Objects without an image (withheld, not Open
// Access), unknown to the objects endpoint (404) or malformed are reported as dropped records.

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
type Resolved = { items: SourceItem[] } | { dropped: DroppedRecord };

/** The object's images, the primary one first: one item each. */
function toItems(object: MetObject): SourceItem[] {
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

export function createMet(options: { id: string; name: string; apiUrl: string | (() => string) }): SourceAdapter {
  /** The object's items, or why it gives none (404: the search listed an id the objects endpoint does not know). */
  async function resolve(context: SourceContext, base: string, id: number): Promise<Resolved> {
    let body: unknown;
    try {
      body = await context.http.getJson(`${base}/v1/objects/${id}`);
    } catch (error) {
      // Withdrawn or loaned objects answer 404 "Not a valid object" / "ObjectID not found"
      // (metmuseum/openaccess#47, #56): they have no image to offer.
      if (error instanceof HttpError && error.status === 404) {
        return { dropped: { remoteId: String(id), reason: "the objects endpoint does not know it (404)" } };
      }
      throw toSourceError(options.name, error);
    }
    const parsed = objectSchema.safeParse(body, { reportInput: true });
    if (!parsed.success) return { dropped: malformedRecord(body, parsed.error, String(id), "object") };
    const items = toItems(parsed.data);
    if (items.length === 0) return { dropped: { remoteId: String(id), reason: "no image offered (primaryImage is empty)" } };
    return { items };
  }

  /**
   * The cursor is the offset of the next object id in the search's result list, plus the images
   * of that object already returned when the limit cut it ("<offset>:<images>").
   */
  async function search(request: SearchRequest, context: SourceContext): Promise<SearchPage> {
    if (request.mediaTypes === "videos") return { items: [], nextCursor: null };
    const query = requireQuery(options.name, request);
    const at = parsePositionCursor(options.name, request.cursor, 0);
    if (at.index >= RESULT_WINDOW) throw new SourceError(`${options.name}: invalid cursor "${request.cursor}"`, undefined, false);
    if (request.limit < 1) return { items: [], nextCursor: formatPositionCursor(at) };

    const base = resolveBase(options.apiUrl);
    const url = new URL(`${base}/v1.1/search`);
    url.searchParams.set("q", query);
    url.searchParams.set("hasImages", "true");
    url.searchParams.set("offset", String(at.index));
    url.searchParams.set("limit", String(Math.min(BATCH, RESULT_WINDOW - at.index)));
    const found = parseResponse(options.name, searchSchema, await fetchJson(options.name, context.http, url.href));
    const ids = found.objectIDs ?? [];

    const items: SourceItem[] = [];
    const dropped: DroppedRecord[] = [];
    let examined = 0;
    let skip = at.skip;
    let cut: { index: number; skip: number } | null = null;
    reading: while (examined < ids.length && items.length < request.limit) {
      const chunk = ids.slice(examined, examined + OBJECT_CONCURRENCY);
      const outcomes = await Promise.all(chunk.map((id) => resolve(context, base, id)));
      for (const outcome of outcomes) {
        if ("dropped" in outcome) {
          dropped.push(outcome.dropped);
        } else {
          const images = outcome.items.slice(skip);
          const room = request.limit - items.length;
          if (images.length > room) {
            items.push(...images.slice(0, room));
            cut = { index: at.index + examined, skip: skip + room };
            break reading;
          }
          items.push(...images);
        }
        examined++;
        skip = 0;
        if (items.length === request.limit) break reading;
      }
    }

    const following = at.index + examined;
    const more = examined < ids.length || (ids.length > 0 && following < Math.min(found.total, RESULT_WINDOW));
    const next = cut ?? (more ? { index: following, skip: 0 } : null);
    return { items, nextCursor: next ? formatPositionCursor(next) : null, ...(dropped.length > 0 ? { dropped } : {}) };
  }

  return {
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
    search,
  };
}
