import { z } from "zod";
import { defineApiSource, drop, type RecordResult } from "@/lib/sources/api-source";
import type { SourceAdapter } from "@/lib/sources/types";

// Cleveland Museum of Art Open Access API (https://openaccess-api.clevelandart.org/, fields
// as in the ClevelandMuseumArt/openaccess README and Openverse's Cleveland provider script):
// GET /api/artworks/?q=&has_image=1&limit=&skip=, images.{web,print,full}.url. No rate limit is
// published. Renditions: web (a JPEG about 900 px), print (a JPEG about 3400 px) and full (an
// uncompressed TIFF, often 40 MB and more). A documented choice: the print JPEG is taken, not the
// largest (full) rendition, whose TIFFs are huge for barely more pixels (the recorded response
// below: print 2422x3400 at 1.2 MB, full 3091x4339 at 40 MB); web when print is missing, and
// full only when it is all there is (Trawl stores TIFF). Trawl has no per-source setting for a
// "largest / web size" choice yet; until it has one, print is the size taken. A recorded
// response (Openverse's Cleveland provider tests,
// tests/fixtures/sources/cleveland-recorded-artworks.provenance.md) shows all three. Each
// artwork is read on its own (the family base, api-source.ts): one that fails its schema or lacks
// every rendition is dropped with its reason, and the rest of the page is kept. The cursor's page
// is the skip offset of the page's first artwork.

const PAGE_SIZE = 50;

const imageSchema = z.object({ url: z.string() }).nullish();

const artworkSchema = z.object({
  id: z.number(),
  title: z.string().nullish(),
  url: z.string().nullish(),
  share_license_status: z.string().nullish(),
  creators: z.array(z.object({ description: z.string().nullish() })).nullish(),
  images: z.object({ web: imageSchema, print: imageSchema, full: imageSchema }).nullish(),
});
type Artwork = z.infer<typeof artworkSchema>;

/** Artworks are checked one by one, so one malformed record does not fail the page. */
const responseSchema = z.object({
  info: z.object({ total: z.number() }),
  data: z.array(z.unknown()),
});

/** "Claude Monet (French, 1840–1926)" -> "Claude Monet". */
function creatorName(description: string | null | undefined) {
  const name = description?.replace(/\s*\(.*$/s, "").trim();
  return name || undefined;
}

function toItem(artwork: Artwork): RecordResult {
  const web = artwork.images?.web?.url;
  const media = artwork.images?.print?.url ?? web ?? artwork.images?.full?.url;
  if (!media) return drop(String(artwork.id), "no image rendition (web, print or full)");
  const cc0 = artwork.share_license_status?.toUpperCase() === "CC0";
  return {
    remoteId: String(artwork.id),
    mediaType: "image",
    mediaUrl: media,
    thumbnailUrl: web ?? undefined,
    pageUrl: artwork.url ?? undefined,
    title: artwork.title ?? undefined,
    author: creatorName(artwork.creators?.[0]?.description),
    license: cc0 ? "CC0 1.0" : (artwork.share_license_status ?? undefined),
    licenseUrl: cc0 ? "https://creativecommons.org/publicdomain/zero/1.0/" : undefined,
  };
}

export function createCleveland(options: { id: string; name: string; apiUrl: string | (() => string) }): SourceAdapter {
  return defineApiSource({
    entry: {
      id: options.id,
      adapter: "cleveland",
      name: options.name,
      description: "Open Access artworks from the Cleveland Museum of Art, most of them CC0.",
      homepage: "https://www.clevelandart.org/art/collection/search",
      category: "museums",
      mediaTypes: ["image"],
      input: "query",
      safeSearch: false,
      // No published limit: stay gentle.
      politeness: { requestsPerSecond: 2, concurrency: 1 },
    },
    apiUrl: options.apiUrl,
    query: "text",
    // The page is the skip offset of its first artwork.
    firstPage: 0,
    async fetchPage({ client, query, page }) {
      const url = client.url("/artworks/", { q: query, has_image: 1, limit: PAGE_SIZE, skip: page });
      const data = client.parse(responseSchema, await client.json(url));
      const following = page + data.data.length;
      return { records: data.data, next: following < data.info.total ? following : null };
    },
    record: artworkSchema,
    toItems: toItem,
  });
}
