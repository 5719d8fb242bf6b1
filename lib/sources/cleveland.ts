import { z } from "zod";
import { resolveBase } from "@/lib/sources/museum-support";
import { parsePositionCursor, slicePage } from "@/lib/sources/position-cursor";
import { fetchJson, parseResponse, requireQuery } from "@/lib/sources/source-http";
import type { SearchPage, SearchRequest, SourceAdapter, SourceContext, SourceItem } from "@/lib/sources/types";
import { malformedRecord, type RecordOutcome } from "@/lib/sources/records";

// Cleveland Museum of Art Open Access API (https://openaccess-api.clevelandart.org/, fields
// as in the ClevelandMuseumArt/openaccess README and Openverse's Cleveland provider script):
// GET /api/artworks/?q=&has_image=1&limit=&skip=, images.{web,print,full}.url. No rate limit is
// published. Renditions: web (a JPEG about 900 px), print (a JPEG about 3400 px) and full (an
// uncompressed TIFF, often 40 MB and more). A documented choice: the print JPEG is taken, not the
// largest (full) rendition, whose TIFFs are huge for the same pixels; web when print is missing,
// and full only when it is all there is (Trawl stores TIFF). A recorded response (Openverse's
// Cleveland provider tests, tests/fixtures/sources/cleveland-recorded-artworks.provenance.md)
// shows all three. Each artwork is read on its own: one that lacks fields or every rendition is
// reported in the page's dropped records, with its reason, and the rest of the page is kept.

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

const responseSchema = z.object({
  info: z.object({ total: z.number() }),
  data: z.array(z.unknown()),
});

function toOutcome(raw: unknown): RecordOutcome {
  const parsed = artworkSchema.safeParse(raw, { reportInput: true });
  if (!parsed.success) return { dropped: malformedRecord(raw, parsed.error) };
  const item = toItem(parsed.data);
  return item ? { item } : { dropped: { remoteId: String(parsed.data.id), reason: "no image rendition (web, print or full)" } };
}

/** "Claude Monet (French, 1840–1926)" -> "Claude Monet". */
function creatorName(description: string | null | undefined) {
  const name = description?.replace(/\s*\(.*$/s, "").trim();
  return name || undefined;
}

function toItem(artwork: Artwork): SourceItem | undefined {
  const web = artwork.images?.web?.url;
  const media = artwork.images?.print?.url ?? web ?? artwork.images?.full?.url;
  if (!media) return undefined;
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
  /** The cursor is the offset of the page ("skip"), plus the items already returned from it. */
  async function search(request: SearchRequest, context: SourceContext): Promise<SearchPage> {
    if (request.mediaTypes === "videos") return { items: [], nextCursor: null };
    const query = requireQuery(options.name, request);
    const at = parsePositionCursor(options.name, request.cursor, 0);

    const url = new URL(`${resolveBase(options.apiUrl)}/artworks/`);
    url.searchParams.set("q", query);
    url.searchParams.set("has_image", "1");
    url.searchParams.set("limit", String(PAGE_SIZE));
    url.searchParams.set("skip", String(at.index));
    const data = parseResponse(options.name, responseSchema, await fetchJson(options.name, context.http, url.href));

    const outcomes = data.data.map(toOutcome);
    const items = outcomes.flatMap((outcome) => ("item" in outcome ? [outcome.item] : []));
    // Reported once, on the call that starts the page (a resumed page was reported already).
    const dropped = at.skip === 0 ? outcomes.flatMap((outcome) => ("dropped" in outcome ? [outcome.dropped] : [])) : [];
    const following = at.index + data.data.length;
    const hasMore = data.data.length > 0 && following < data.info.total;
    const page = slicePage(items, at, request.limit, hasMore ? { index: following, skip: 0 } : null);
    return { ...page, ...(dropped.length > 0 ? { dropped } : {}) };
  }

  return {
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
    search,
  };
}
