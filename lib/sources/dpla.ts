import { z } from "zod";
import { licenseNameFromUrl, resolveBase } from "@/lib/sources/museum-support";
import { nextPage, parsePositionCursor, slicePage } from "@/lib/sources/position-cursor";
import { fetchKeyedJson, parseResponse, requireKey, requireQuery } from "@/lib/sources/source-http";
import { SourceError } from "@/lib/sources/types";
import type { SearchPage, SearchRequest, SourceAdapter, SourceContext, SourceItem } from "@/lib/sources/types";

// DPLA API v2 (https://pro.dp.la/developers/api-codex, requests and responses): GET
// /v2/items?q=&api_key=&page_size=&page=, filtered with sourceResource.type=image; docs[] carry
// isShownAt (the provider's page), object (a thumbnail) and sometimes hasView (the full view),
// sourceResource.title/creator and rights (keys: POST /v2/api_key/{email}, as rdpla documents).
// The 100-page ceiling is from memory of the codex, not found in the search tool's copies.
// No request rate is published.

const PAGE_SIZE = 50;
const MAX_PAGE = 100;

const stringOrList = z.union([z.string(), z.array(z.string())]);
const viewSchema = z.object({ "@id": z.string().nullish() });

const docSchema = z.object({
  id: z.string(),
  isShownAt: z.string().nullish(),
  object: z.string().nullish(),
  hasView: z.union([viewSchema, z.array(viewSchema)]).nullish(),
  rights: stringOrList.nullish(),
  sourceResource: z.object({ title: stringOrList.nullish(), creator: stringOrList.nullish() }).nullish(),
});

const responseSchema = z.object({ count: z.number(), docs: z.array(docSchema) });

function first(value: string | string[] | null | undefined) {
  return (Array.isArray(value) ? value[0] : value) || undefined;
}

function toItem(doc: z.infer<typeof docSchema>): SourceItem | undefined {
  const view = (Array.isArray(doc.hasView) ? doc.hasView[0] : doc.hasView)?.["@id"] ?? undefined;
  // DPLA's own `object` is only a thumbnail; it is the media only when the record names no
  // full view (hasView), as DPLA hosts no full-size files and providers rarely link them.
  const media = view ?? doc.object ?? undefined;
  if (!media) return undefined;
  const rights = first(doc.rights);
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
  async function search(request: SearchRequest, context: SourceContext): Promise<SearchPage> {
    const key = requireKey(options.name, context);
    if (request.mediaTypes === "videos") return { items: [], nextCursor: null };
    const query = requireQuery(options.name, request);
    const at = parsePositionCursor(options.name, request.cursor, 1);
    if (at.index < 1 || at.index > MAX_PAGE) throw new SourceError(`${options.name}: invalid cursor "${request.cursor}"`, undefined, false);

    const url = new URL(`${resolveBase(options.apiUrl)}/items`);
    url.searchParams.set("q", query);
    url.searchParams.set("sourceResource.type", "image");
    url.searchParams.set("page_size", String(PAGE_SIZE));
    url.searchParams.set("page", String(at.index));
    url.searchParams.set("api_key", key);
    const data = parseResponse(options.name, responseSchema, await fetchKeyedJson(options.name, context.http, url.href));

    const items = data.docs.flatMap((doc) => toItem(doc) ?? []);
    const hasMore = data.docs.length > 0 && at.index * PAGE_SIZE < data.count && at.index < MAX_PAGE;
    return slicePage(items, at, request.limit, nextPage(at.index, hasMore));
  }

  return {
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
    search,
  };
}
