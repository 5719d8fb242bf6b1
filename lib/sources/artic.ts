import { z } from "zod";
import { resolveBase } from "@/lib/sources/museum-support";
import { nextPage, parsePositionCursor, slicePage } from "@/lib/sources/position-cursor";
import { fetchJson, parseResponse, requireQuery } from "@/lib/sources/source-http";
import { SourceError } from "@/lib/sources/types";
import type { SearchPage, SearchRequest, SourceAdapter, SourceContext, SourceItem } from "@/lib/sources/types";
import { malformedRecord, type RecordOutcome } from "@/lib/sources/records";

// Art Institute of Chicago artwork search, following https://api.artic.edu/docs/ (fields,
// IIIF image URLs built from config.iiif_url + image_id, the AIC-User-Agent courtesy header,
// 60 requests a minute anonymous) and SearXNG's artic.py. The docs discourage deep paging without
// giving a ceiling; 10,000 results (Elasticsearch's default window) is an assumption, and clients
// report page 101 working. The image taken is 843 px wide, the one size the docs guarantee for every
// image (larger IIIF sizes are refused for some works), a documented choice rather than the largest.
// A recorded /artworks/search response (tests/fixtures/sources/artic-recorded-search.provenance.md)
// was made without `fields`, so it carries no image_id: that is why FIELDS is always sent, and why
// an artwork without image_id is reported as a dropped record (with a malformed one), not silently.

const PAGE_SIZE = 50;
const RESULT_WINDOW = 10_000;
const FIELDS = "id,title,image_id,artist_display,is_public_domain";

const artworkSchema = z.object({
  id: z.number(),
  title: z.string().nullish(),
  image_id: z.string().nullish(),
  artist_display: z.string().nullish(),
  is_public_domain: z.boolean().nullish(),
});

const responseSchema = z.object({
  pagination: z.object({ total: z.number(), total_pages: z.number(), current_page: z.number() }),
  data: z.array(z.unknown()),
  config: z.object({ iiif_url: z.string() }),
});

type Artwork = z.infer<typeof artworkSchema>;

function toOutcome(raw: unknown, iiifUrl: string): RecordOutcome {
  const parsed = artworkSchema.safeParse(raw, { reportInput: true });
  if (!parsed.success) return { dropped: malformedRecord(raw, parsed.error) };
  const item = toItem(parsed.data, iiifUrl);
  return item ? { item } : { dropped: { remoteId: String(parsed.data.id), reason: "no image (image_id is empty)" } };
}

/** artist_display is "Name\nNationality, dates"; the first line names the artist. */
function artistName(display: string | null | undefined) {
  const first = display?.split("\n")[0].trim();
  return first || undefined;
}

function toItem(artwork: Artwork, iiifUrl: string): SourceItem | undefined {
  if (!artwork.image_id) return undefined;
  const image = `${iiifUrl.replace(/\/+$/, "")}/${encodeURIComponent(artwork.image_id)}/full`;
  return {
    remoteId: String(artwork.id),
    mediaType: "image",
    // 843 px wide is the size the docs recommend and guarantee for every image.
    mediaUrl: `${image}/843,/0/default.jpg`,
    thumbnailUrl: `${image}/200,/0/default.jpg`,
    pageUrl: `https://www.artic.edu/artworks/${artwork.id}`,
    title: artwork.title ?? undefined,
    author: artistName(artwork.artist_display),
    license: artwork.is_public_domain ? "Public domain" : undefined,
  };
}

export function createArtic(options: { id: string; name: string; apiUrl: string | (() => string) }): SourceAdapter {
  async function search(request: SearchRequest, context: SourceContext): Promise<SearchPage> {
    if (request.mediaTypes === "videos") return { items: [], nextCursor: null };
    const query = requireQuery(options.name, request);
    const at = parsePositionCursor(options.name, request.cursor, 1);
    if (at.index < 1 || at.index * PAGE_SIZE > RESULT_WINDOW) {
      throw new SourceError(`${options.name}: invalid cursor "${request.cursor}"`, undefined, false);
    }

    const url = new URL(`${resolveBase(options.apiUrl)}/artworks/search`);
    url.searchParams.set("q", query);
    url.searchParams.set("page", String(at.index));
    url.searchParams.set("limit", String(PAGE_SIZE));
    url.searchParams.set("fields", FIELDS);
    const body = await fetchJson(options.name, context.http, url.href, { "AIC-User-Agent": context.userAgent });
    const data = parseResponse(options.name, responseSchema, body);

    const outcomes = data.data.map((raw) => toOutcome(raw, data.config.iiif_url));
    const items = outcomes.flatMap((outcome) => ("item" in outcome ? [outcome.item] : []));
    // Reported once, on the call that starts the page (a resumed page was reported already).
    const dropped = at.skip === 0 ? outcomes.flatMap((outcome) => ("dropped" in outcome ? [outcome.dropped] : [])) : [];
    const lastPage = Math.min(data.pagination.total_pages, RESULT_WINDOW / PAGE_SIZE);
    const page = slicePage(items, at, request.limit, nextPage(at.index, at.index < lastPage && data.data.length > 0));
    return { ...page, ...(dropped.length > 0 ? { dropped } : {}) };
  }

  return {
    id: options.id,
    adapter: "artic",
    name: options.name,
    description: "Artworks from the Art Institute of Chicago, as IIIF images with artist and public-domain status.",
    homepage: "https://www.artic.edu/collection",
    category: "museums",
    mediaTypes: ["image"],
    input: "query",
    safeSearch: false,
    // Documented: 60 requests a minute for anonymous clients.
    politeness: { requestsPerSecond: 1, concurrency: 1 },
    search,
  };
}
