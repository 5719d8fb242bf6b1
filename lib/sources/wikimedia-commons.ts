import { load } from "cheerio";
import { z } from "zod";
import { defineApiSource, drop, type RecordResult } from "@/lib/sources/api-source";
import { searchResultPages } from "@/lib/sources/mediawiki-search";
import { mediaTypeFromMime } from "@/lib/sources/media-kinds";
import type { SearchRequest, SourceAdapter } from "@/lib/sources/types";

// Wikimedia Commons through the MediaWiki Action API: a search generator over the File
// namespace with imageinfo for each hit. For "both", bitmaps are searched first, then videos
// (the cursor's phase). The file taken is imageinfo.url, the original upload (the largest
// rendition), with author and license from extmetadata (Artist, LicenseShortName, LicenseUrl).
// The search's continuation is an offset (continue: {gsroffset, continue: "gsroffset||"}), used
// as the cursor's page number; a batch asks for no more files than the limit (at most 50).
// Checked on search responses recorded by Wikimedia's MediaSearch extension tests
// (tests/fixtures/sources/commons-recorded-search.provenance.md): those were made with the default
// formatversion 1, where query.pages is an object keyed by page id, so that shape is read too, and
// without extmetadata (no author or license). Each page is read on its own: a page without a file
// (deleted upload), of a format Trawl cannot store (SVG, DjVu, PDF, audio-only Ogg, ...), of the
// other media type, or malformed is reported as a dropped record with its reason.

const MAX_PAGE_SIZE = 50;
const THUMB_WIDTH = 320;

type Phase = "bitmap" | "video";

const metadataField = z.object({ value: z.union([z.string(), z.number()]).transform(String) }).optional();
const extmetadataSchema = z.union([
  z.object({
    Artist: metadataField,
    LicenseShortName: metadataField,
    LicenseUrl: metadataField,
    ImageDescription: metadataField,
  }),
  // PHP serialises an empty map as [] when a file has no metadata.
  z.array(z.never()).transform(() => ({}) as Record<string, undefined>),
]);

const imageInfoSchema = z.object({
  url: z.string(),
  descriptionurl: z.string(),
  mime: z.string(),
  thumburl: z.string().optional(),
  extmetadata: extmetadataSchema.optional(),
});

/** MIME types of files Trawl stores (lib/media/media-types.ts); Ogg is labelled application/ogg. */
const STORED_MIME = new Set([
  "image/jpeg",
  "image/png",
  "image/gif",
  "image/webp",
  "image/avif",
  "image/bmp",
  "image/tiff",
  "video/mp4",
  "video/webm",
  "video/ogg",
  "video/quicktime",
  "video/x-matroska",
  "application/ogg",
]);

const pageSchema = z.object({
  pageid: z.number().int(),
  title: z.string(),
  imageinfo: z.array(imageInfoSchema).optional(),
});
type Page = z.infer<typeof pageSchema>;

function phasesFor(request: SearchRequest): Phase[] {
  if (request.mediaTypes === "images") return ["bitmap"];
  if (request.mediaTypes === "videos") return ["video"];
  return ["bitmap", "video"];
}

/** Artist and other extmetadata values are HTML fragments (links to user pages). */
function plainText(html: string | undefined) {
  if (html === undefined) return undefined;
  const text = load(html, null, false).text().replace(/\s+/g, " ").trim();
  return text || undefined;
}

function displayTitle(title: string) {
  return title.replace(/^File:/, "").replace(/\.[^.]+$/, "");
}

function absolute(url: string | undefined) {
  return url?.startsWith("//") ? `https:${url}` : url;
}

function rawId(raw: unknown) {
  const id = typeof raw === "object" && raw !== null ? (raw as { pageid?: unknown }).pageid : undefined;
  return typeof id === "number" ? String(id) : undefined;
}

function toItem(page: Page, phase: string): RecordResult {
  const remoteId = String(page.pageid);
  // A file page without imageinfo has no file behind it (deleted or suppressed upload).
  const info = page.imageinfo?.[0];
  if (!info) return drop(remoteId, "no file behind the page (deleted or suppressed upload)");
  const mime = info.mime.split(";")[0].trim().toLowerCase();
  if (!STORED_MIME.has(mime)) return drop(remoteId, `a ${mime} file, which Trawl cannot store`);
  const mediaType = mediaTypeFromMime(mime);
  if (mediaType !== (phase === "bitmap" ? "image" : "video")) return drop(remoteId, `a ${mediaType ?? mime} file in the ${phase} search`);
  const meta = info.extmetadata ?? {};
  return {
    remoteId,
    mediaType,
    mediaUrl: info.url,
    thumbnailUrl: info.thumburl,
    pageUrl: info.descriptionurl,
    title: displayTitle(page.title),
    author: plainText(meta.Artist?.value),
    license: plainText(meta.LicenseShortName?.value),
    licenseUrl: absolute(meta.LicenseUrl?.value),
  };
}

export function createWikimediaCommons(options: { apiUrl: string | (() => string) }): SourceAdapter {
  return defineApiSource({
    entry: {
      id: "wikimedia-commons",
      adapter: "wikimedia-commons",
      // API etiquette: serial requests.
      politeness: { requestsPerSecond: 2, concurrency: 1 },
      name: "Wikimedia Commons",
      description: "Freely licensed photos and videos from Wikimedia Commons, with author and license.",
      homepage: "https://commons.wikimedia.org/",
      category: "wikis",
      mediaTypes: ["image", "video"],
      input: "query",
      safeSearch: false,
    },
    apiUrl: options.apiUrl,
    query: "text",
    firstPage: 0,
    phases: phasesFor,
    async fetchPage({ client, request, query, phase, page: offset }) {
      const url = client.url("", {
        action: "query",
        format: "json",
        formatversion: 2,
        generator: "search",
        gsrnamespace: 6,
        gsrsearch: `filetype:${phase} ${query}`,
        gsrlimit: Math.min(MAX_PAGE_SIZE, request.limit),
        prop: "imageinfo",
        iiprop: "url|size|mime|extmetadata",
        iiurlwidth: THUMB_WIDTH,
        iiextmetadatafilter: "Artist|LicenseShortName|LicenseUrl|ImageDescription",
        ...(offset > 0 ? { gsroffset: offset, continue: "gsroffset||" } : {}),
      });
      return searchResultPages(client, url);
    },
    record: pageSchema,
    recordIdOf: rawId,
    toItems: (page, { phase }) => toItem(page, phase),
  });
}
