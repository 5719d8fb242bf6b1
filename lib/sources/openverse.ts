import { z } from "zod";
import { refusedFormat } from "@/lib/sources/media-kinds";
import { defineApiSource, drop, type RecordResult } from "@/lib/sources/api-source";
import type { SourceAdapter } from "@/lib/sources/types";

// Openverse image search (https://api.openverse.org/v1/). Anonymous clients may ask for at
// most 20 results a page and 20 pages deep. Openverse indexes images and audio, no video.
// Each result offers one file, `url` (for Flickr the 1024 px "_b" size), with `filetype` when the
// catalog knows it. Openverse also indexes SVG drawings, which Trawl does not store (they can carry
// scripts): a result whose filetype or URL says SVG, or another format Trawl cannot store (a
// declared filetype outside Trawl's list, or, when none is declared, a URL ending in .pdf, .djvu,
// .heic …), is reported as a dropped record, as is a malformed one; the rest of the page is kept.
// Tested on a response recorded by Openverse's own frontend tests
// (tests/fixtures/sources/openverse-recorded-search.provenance.md).

const PAGE_SIZE = 20;
const MAX_PAGES = 20;

const resultSchema = z.object({
  id: z.string(),
  url: z.string(),
  thumbnail: z.string().nullish(),
  title: z.string().nullish(),
  creator: z.string().nullish(),
  license: z.string(),
  license_version: z.string().nullish(),
  license_url: z.string().nullish(),
  foreign_landing_url: z.string().nullish(),
  filetype: z.string().nullish(),
});
type Result = z.infer<typeof resultSchema>;

const responseSchema = z.object({
  result_count: z.number(),
  page_count: z.number(),
  page: z.number(),
  results: z.array(z.unknown()),
});

/** Openverse filetypes Trawl stores (lib/media/media-types.ts); others are dropped with a reason. */
const STORED_FILETYPES = new Set(["jpg", "jpeg", "png", "gif", "webp", "avif", "bmp", "tif", "tiff"]);
/** Why Trawl cannot store the result's file, or undefined when it can (or cannot tell). */
function unstorable(result: Result): string | undefined {
  const declared = result.filetype?.trim().toLowerCase() || undefined;
  if (!declared) return refusedFormat(result.url);
  if (declared === "svg") return "an SVG drawing, which Trawl does not store";
  return STORED_FILETYPES.has(declared) ? undefined : `a ${declared} file, which Trawl cannot store`;
}

/** "by-sa" + "4.0" -> "CC BY-SA 4.0"; "cc0" -> "CC0 1.0"; "pdm" -> "Public Domain Mark 1.0". */
function licenseName(code: string, version: string | null | undefined) {
  const lower = code.toLowerCase();
  const name = lower === "pdm" ? "Public Domain Mark" : lower === "cc0" ? "CC0" : `CC ${lower.toUpperCase()}`;
  return version ? `${name} ${version}` : name;
}

function toItem(result: Result): RecordResult {
  const reason = unstorable(result);
  if (reason) return drop(result.id, reason);
  return {
    remoteId: result.id,
    mediaType: "image",
    mediaUrl: result.url,
    thumbnailUrl: result.thumbnail ?? undefined,
    pageUrl: result.foreign_landing_url ?? undefined,
    title: result.title ?? undefined,
    author: result.creator ?? undefined,
    license: licenseName(result.license, result.license_version),
    licenseUrl: result.license_url ?? undefined,
  };
}

export function createOpenverse(options: { apiUrl: string | (() => string) }): SourceAdapter {
  return defineApiSource({
    entry: {
      id: "openverse",
      adapter: "openverse",
      // Anonymous clients are throttled hard (reported: about 1 request/second, 200/day).
      politeness: { requestsPerSecond: 1, concurrency: 1 },
      name: "Openverse",
      description: "Openly licensed images indexed by Openverse from Flickr, museums, Wikimedia and more.",
      homepage: "https://openverse.org/",
      category: "stock",
      mediaTypes: ["image"],
      input: "query",
      safeSearch: true,
    },
    apiUrl: options.apiUrl,
    query: "text",
    firstPage: 1,
    maxPage: MAX_PAGES,
    async fetchPage({ client, request, query, page }) {
      const url = client.url("/images/", {
        q: query,
        page,
        page_size: PAGE_SIZE,
        // "mature" (default false) includes results marked sensitive when true.
        mature: request.safeSearch ? "false" : "true",
      });
      const data = client.parse(responseSchema, await client.json(url));
      return { records: data.results, next: page < Math.min(data.page_count, MAX_PAGES) ? page + 1 : null };
    },
    record: resultSchema,
    toItems: toItem,
  });
}
