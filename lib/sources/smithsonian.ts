import { z } from "zod";
import { resolveBase } from "@/lib/sources/museum-support";
import { parsePositionCursor, slicePage } from "@/lib/sources/position-cursor";
import { fetchKeyedJson, parseResponse, requireKey, requireQuery } from "@/lib/sources/source-http";
import type { SearchPage, SearchRequest, SourceAdapter, SourceContext, SourceItem } from "@/lib/sources/types";

// Smithsonian Open Access API (https://edan.si.edu/openaccess/apidocs/, through api.data.gov):
// GET /openaccess/api/v1.0/search?q=&api_key=&rows=&start=; a row's images are in
// content.descriptiveNonRepeating.online_media.media[] (content, thumbnail, usage.access), and
// "online_media_type:Images" narrows the search, as in the Smithsonian's own examples and a
// client guide. api.data.gov keys default to 1,000 requests an hour.

const PAGE_SIZE = 50;

const mediaSchema = z.object({
  type: z.string().nullish(),
  content: z.string().nullish(),
  thumbnail: z.string().nullish(),
  idsId: z.string().nullish(),
  usage: z.object({ access: z.string().nullish() }).nullish(),
});

const rowSchema = z.object({
  id: z.string(),
  title: z.string().nullish(),
  content: z.object({
    descriptiveNonRepeating: z.object({
      record_link: z.string().nullish(),
      guid: z.string().nullish(),
      online_media: z.object({ media: z.array(mediaSchema).nullish() }).nullish(),
    }),
    freetext: z.object({ name: z.array(z.object({ content: z.string() })).nullish() }).nullish(),
  }),
});

const responseSchema = z.object({
  response: z.object({ rowCount: z.number(), rows: z.array(rowSchema) }),
});

function toItems(row: z.infer<typeof rowSchema>): SourceItem[] {
  const record = row.content.descriptiveNonRepeating;
  return (record.online_media?.media ?? []).flatMap((media, index) => {
    if (!media.content || (media.type && media.type !== "Images")) return [];
    const cc0 = media.usage?.access === "CC0";
    return [
      {
        remoteId: media.idsId || `${row.id}-${index}`,
        mediaType: "image" as const,
        mediaUrl: media.content,
        thumbnailUrl: media.thumbnail || undefined,
        pageUrl: record.record_link || record.guid || undefined,
        title: row.title || undefined,
        author: row.content.freetext?.name?.[0]?.content,
        license: cc0 ? "CC0 1.0" : (media.usage?.access ?? undefined),
        licenseUrl: cc0 ? "https://creativecommons.org/publicdomain/zero/1.0/" : undefined,
      },
    ];
  });
}

export function createSmithsonian(options: { id: string; name: string; apiUrl: string | (() => string) }): SourceAdapter {
  /** One item per image; the cursor is the row offset ("start") plus the images already returned. */
  async function search(request: SearchRequest, context: SourceContext): Promise<SearchPage> {
    const key = requireKey(options.name, context);
    if (request.mediaTypes === "videos") return { items: [], nextCursor: null };
    const query = requireQuery(options.name, request);
    const at = parsePositionCursor(options.name, request.cursor, 0);

    const url = new URL(`${resolveBase(options.apiUrl)}/search`);
    url.searchParams.set("q", `(${query}) AND online_media_type:Images`);
    url.searchParams.set("rows", String(PAGE_SIZE));
    url.searchParams.set("start", String(at.index));
    url.searchParams.set("api_key", key);
    const data = parseResponse(options.name, responseSchema, await fetchKeyedJson(options.name, context.http, url.href)).response;

    const items = data.rows.flatMap(toItems);
    const following = at.index + data.rows.length;
    const hasMore = data.rows.length > 0 && following < data.rowCount;
    return slicePage(items, at, request.limit, hasMore ? { index: following, skip: 0 } : null);
  }

  return {
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
    search,
  };
}
