// Docs followed: MediaWiki Action API generator=search (https://www.mediawiki.org/wiki/API:Search), continuation (https://www.mediawiki.org/wiki/API:Continue) and Extension:PageImages prop=pageimages (https://www.mediawiki.org/wiki/Extension:PageImages#API).
import { z } from "zod";
import { defineApiSource, drop, type RecordResult } from "@/lib/sources/api-source";
import { searchResultPages } from "@/lib/sources/mediawiki-search";
import { extensionOf, mediaTypeFromExtension } from "@/lib/sources/media-kinds";
import type { SourceAdapter } from "@/lib/sources/types";

// Any MediaWiki site with the PageImages extension (every Wikimedia wiki): a full-text
// search over articles (namespace 0) whose hits come with their lead image. The lead image's
// original is taken when it is a raster file; SVG originals (flags, maps, logos) are taken as
// their PNG rendering instead, since SVG is not accepted for download. A lead image whose
// original is of another kind Trawl refuses (PDF, DjVu, a video, ...) is dropped with that
// reason rather than downloaded as a rendering of one page or frame. When the answer carries no
// original (a wiki or a request without piprop=original), the rendering is taken if it is raster.
// An article without a lead image, one whose lead image has no raster file or rendering, or a
// malformed page is reported as a dropped record with its reason.
//
// Paging: the search's continuation is an offset (continue: {gsroffset, continue: "gsroffset||"}),
// used as the cursor's page number; a batch asks for no more pages than the limit (at most 50).
// formatversion 1's query.pages (an object keyed by page id) is read as well.
// Tested on two recorded generator=search responses: one from the Wikipedia Android app's tests,
// made with prop=pageimages (piprop=thumbnail, formatversion 2; tests/fixtures/sources/mediawiki-recorded-fulltext-search.provenance.md),
// and one from Wikimedia's MediaSearch tests, made without pageimages (formatversion 1;
// tests/fixtures/sources/mediawiki-recorded-search-pages.provenance.md). No recorded response of the
// adapter's own request (piprop=original|thumbnail|name) was found: the original/SVG mapping is
// covered by the hand-written mediawiki-search-page*.json.

const MAX_BATCH = 50;
/** Width of the rendering asked for; it is the media itself for SVG lead images. */
const THUMB_WIDTH = 1280;

const imageSchema = z.object({ source: z.string() });

const pageSchema = z.object({
  pageid: z.number().int(),
  title: z.string(),
  fullurl: z.string().optional(),
  pageimage: z.string().optional(),
  original: imageSchema.optional(),
  thumbnail: imageSchema.optional(),
});
type Page = z.infer<typeof pageSchema>;

function rawId(raw: unknown) {
  const id = typeof raw === "object" && raw !== null ? (raw as { pageid?: unknown }).pageid : undefined;
  return typeof id === "number" ? `page-${id}` : undefined;
}

function isRaster(url: string | undefined): url is string {
  return url !== undefined && URL.canParse(url) && mediaTypeFromExtension(url) === "image";
}

/** The file to download for the lead image, or why there is none. */
function leadImage(page: Page): string | { reason: string } {
  const original = page.original?.source;
  const rendering = page.thumbnail?.source;
  if (isRaster(original)) return original;
  const kind = original === undefined ? undefined : extensionOf(original);
  if (kind !== undefined && kind !== "svg") return { reason: `a ${kind} lead image, which Trawl cannot store` };
  if (isRaster(rendering)) return rendering;
  return {
    reason: original || rendering || page.pageimage ? "its lead image has no raster file or rendering" : "the article has no lead image",
  };
}

function toItem(page: Page): RecordResult {
  // The file, not the article: articles sharing a lead image share one download.
  const remoteId = page.pageimage ?? `page-${page.pageid}`;
  const file = leadImage(page);
  if (typeof file !== "string") return drop(remoteId, file.reason);
  return {
    remoteId,
    mediaType: "image",
    mediaUrl: file,
    thumbnailUrl: page.thumbnail?.source,
    pageUrl: page.fullurl,
    title: page.title,
  };
}

export function createMediaWiki(options: {
  id: string;
  name: string;
  apiUrl: string | (() => string);
  homepage: string;
  description: string;
}): SourceAdapter {
  return defineApiSource({
    entry: {
      id: options.id,
      adapter: "mediawiki",
      // Wikimedia API etiquette: one request at a time.
      politeness: { requestsPerSecond: 2, concurrency: 1 },
      name: options.name,
      description: options.description,
      homepage: options.homepage,
      category: "wikis",
      mediaTypes: ["image"],
      input: "query",
      safeSearch: false,
    },
    apiUrl: options.apiUrl,
    query: "text",
    firstPage: 0,
    async fetchPage({ client, request, query, page: offset }) {
      const batch = Math.min(MAX_BATCH, request.limit);
      const url = client.url("", {
        action: "query",
        format: "json",
        formatversion: 2,
        generator: "search",
        gsrsearch: query,
        gsrnamespace: 0,
        gsrlimit: batch,
        prop: "pageimages|info",
        piprop: "original|thumbnail|name",
        pithumbsize: THUMB_WIDTH,
        pilimit: batch,
        pilicense: "any",
        inprop: "url",
        ...(offset > 0 ? { gsroffset: offset, continue: "gsroffset||" } : {}),
      });
      return searchResultPages(client, url);
    },
    record: pageSchema,
    recordIdOf: rawId,
    toItems: toItem,
  });
}
