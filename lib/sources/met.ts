import { z } from "zod";
import { HttpError } from "@/lib/net/http-client";
import { resolveBase } from "@/lib/sources/museum-support";
import { formatPositionCursor, parsePositionCursor } from "@/lib/sources/position-cursor";
import { fetchJson, parseResponse, requireQuery, toSourceError } from "@/lib/sources/source-http";
import {
  SourceError,
  type SearchPage,
  type SearchRequest,
  type SourceAdapter,
  type SourceContext,
  type SourceItem,
} from "@/lib/sources/types";

// The Met Collection API (https://metmuseum.github.io/): search returns object IDs, each object is
// read from /v1/objects/{id} (primaryImage, artistDisplayName, isPublicDomain, objectURL). Search
// uses the paginated /v1.1/search (offset, limit 1–500, first 10,000 matches) that replaced
// /v1/search on 2026-10-01; that endpoint is known from recent open-source clients, the stored
// copy of the official docs predates it. Documented politeness: at most 80 requests a second.

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
  title: z.string().nullish(),
  artistDisplayName: z.string().nullish(),
  objectURL: z.string().nullish(),
});

function toItem(object: z.infer<typeof objectSchema>): SourceItem | undefined {
  // hasImages=true still lists objects whose image is withheld (metmuseum/openaccess#57).
  if (!object.primaryImage) return undefined;
  return {
    remoteId: String(object.objectID),
    mediaType: "image",
    mediaUrl: object.primaryImage,
    thumbnailUrl: object.primaryImageSmall || undefined,
    pageUrl: object.objectURL || undefined,
    title: object.title || undefined,
    author: object.artistDisplayName || undefined,
    license: object.isPublicDomain ? "CC0 1.0" : undefined,
    licenseUrl: object.isPublicDomain ? "https://creativecommons.org/publicdomain/zero/1.0/" : undefined,
  };
}

export function createMet(options: { id: string; name: string; apiUrl: string | (() => string) }): SourceAdapter {
  /** The object, or null when the search listed an id the objects endpoint does not know (404). */
  async function fetchObject(context: SourceContext, base: string, id: number) {
    let body: unknown;
    try {
      body = await context.http.getJson(`${base}/v1/objects/${id}`);
    } catch (error) {
      // Withdrawn or loaned objects answer 404 "Not a valid object" / "ObjectID not found"
      // (metmuseum/openaccess#47, #56): they have no image to offer, like an empty primaryImage.
      if (error instanceof HttpError && error.status === 404) return null;
      throw toSourceError(options.name, error);
    }
    return parseResponse(options.name, objectSchema, body);
  }

  /** The cursor is the offset of the next object id in the search's result list. */
  async function search(request: SearchRequest, context: SourceContext): Promise<SearchPage> {
    if (request.mediaTypes === "videos") return { items: [], nextCursor: null };
    const query = requireQuery(options.name, request);
    const at = parsePositionCursor(options.name, request.cursor, 0);
    if (at.skip !== 0 || at.index >= RESULT_WINDOW)
      throw new SourceError(`${options.name}: invalid cursor "${request.cursor}"`, undefined, false);
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
    let examined = 0;
    while (examined < ids.length && items.length < request.limit) {
      const chunk = ids.slice(examined, examined + OBJECT_CONCURRENCY);
      const objects = await Promise.all(chunk.map((id) => fetchObject(context, base, id)));
      for (const object of objects) {
        examined++;
        const item = object && toItem(object);
        if (item) items.push(item);
        if (items.length === request.limit) break;
      }
    }

    const following = at.index + examined;
    const more = examined < ids.length || (ids.length > 0 && following < Math.min(found.total, RESULT_WINDOW));
    return { items, nextCursor: more ? formatPositionCursor({ index: following, skip: 0 }) : null };
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
