import { z } from "zod";
import { defineApiSource, drop, type RecordResult } from "@/lib/sources/api-source";
import type { SourceAdapter } from "@/lib/sources/types";

// Art Institute of Chicago artwork search, following https://api.artic.edu/docs/ (fields,
// IIIF image URLs built from config.iiif_url + image_id, the AIC-User-Agent courtesy header,
// 60 requests a minute anonymous) and SearXNG's artic.py. The docs discourage deep paging without
// giving a ceiling; 10,000 results (Elasticsearch's default window) is an assumption, and clients
// report page 101 working. The image taken is 843 px wide, the one size the docs guarantee for every
// image (larger IIIF sizes are refused for some works), a documented choice rather than the largest;
// IIIF serves it as a JPEG whatever the original. A recorded /artworks/search response
// (tests/fixtures/sources/artic-recorded-search.provenance.md) was made without `fields`, so it
// carries no image_id: that is why FIELDS is always sent, and why an artwork without image_id is
// dropped with its reason, as a malformed one is (the family base, api-source.ts), not silently.

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
type Artwork = z.infer<typeof artworkSchema>;

/** Artworks are checked one by one, so one malformed record does not fail the page. */
const responseSchema = z.object({
  pagination: z.object({ total: z.number(), total_pages: z.number(), current_page: z.number() }),
  data: z.array(z.unknown()),
  config: z.object({ iiif_url: z.string() }),
});

/** artist_display is "Name\nNationality, dates"; the first line names the artist. */
function artistName(display: string | null | undefined) {
  const first = display?.split("\n")[0].trim();
  return first || undefined;
}

function toItem(artwork: Artwork, iiifUrl: string): RecordResult {
  if (!artwork.image_id) return drop(String(artwork.id), "no image (image_id is empty)");
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
  return defineApiSource({
    entry: {
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
    },
    apiUrl: options.apiUrl,
    query: "text",
    firstPage: 1,
    maxPage: RESULT_WINDOW / PAGE_SIZE,
    async fetchPage({ client, query, page }) {
      const url = client.url("/artworks/search", { q: query, page, limit: PAGE_SIZE, fields: FIELDS });
      const data = client.parse(responseSchema, await client.json(url, { headers: { "AIC-User-Agent": client.userAgent } }));
      return { records: data.data, next: page < data.pagination.total_pages ? page + 1 : null, shared: data.config.iiif_url };
    },
    record: artworkSchema,
    toItems: (artwork, { shared: iiifUrl }) => toItem(artwork, iiifUrl),
  });
}
