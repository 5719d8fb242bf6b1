import { z } from "zod";
import { fileNameFromUrl } from "@/lib/media/file-names";
import { defineApiSource, drop } from "@/lib/sources/api-source";
import { mediaTypeFromExtension, refusedFormat } from "@/lib/sources/media-kinds";
import type { MediaFilter, MediaType, SourceAdapter } from "@/lib/sources/types";

// The image and video file URLs the job lists, one item per distinct URL. Nothing is requested at
// search time: the files are fetched (through the guarded HTTP client) only when they are
// downloaded, and their real type is then sniffed from their bytes. So there is no response to
// record for this adapter, and no recorded-response test: its input is the job's own URL list.
//
// On the family base (api-source.ts) with no query and a single page (0) whose records are the
// distinct target URLs, so the cursor is "0:<URLs already handled>" (one URL per page would cap
// each call at one item). A target that is not an http(s) URL fails the call (the job's URL list is
// wrong as a whole); a URL whose extension names a format Trawl refuses (SVG, HEIC, PDF ...) is
// dropped with that reason, and one of the other media type than the job asks for is dropped by the
// base.

const NAME = "Direct links";

/** The URL as the item's id and download URL (without its fragment), or a refusal for anything but http(s). */
function absoluteMediaUrl(raw: string, refuse: (message: string) => never): string {
  const value = raw.trim();
  const url = URL.canParse(value) ? new URL(value) : undefined;
  if (!url || (url.protocol !== "http:" && url.protocol !== "https:")) refuse(`not an http(s) URL: ${raw}`);
  url.hash = "";
  return url.href;
}

// Without a known extension the real type is decided later by sniffing the downloaded bytes;
// until then assume the type the job asked for ("image" when it asked for both).
function guessMediaType(url: string, filter: MediaFilter): MediaType {
  return mediaTypeFromExtension(url) ?? (filter === "videos" ? "video" : "image");
}

export const directLinks: SourceAdapter = defineApiSource({
  entry: {
    id: "direct-links",
    adapter: "direct-links",
    politeness: { requestsPerSecond: 10, concurrency: 4 },
    name: NAME,
    description: "Downloads the image and video file URLs you list, one item per URL.",
    homepage: "https://developer.mozilla.org/en-US/docs/Web/URI",
    category: "generic",
    mediaTypes: ["image", "video"],
    input: "urls",
    safeSearch: false,
  },
  query: "none",
  firstPage: 0,
  maxPage: 0,
  fetchPage({ client, request }) {
    const urls = [...new Set(request.targetUrls.map((raw) => absoluteMediaUrl(raw, client.refuse)))];
    return Promise.resolve({ records: urls, next: null });
  },
  record: z.string(),
  toItems(url, { request }) {
    const refused = refusedFormat(url);
    if (refused) return drop(url, refused);
    return { remoteId: url, mediaType: guessMediaType(url, request.mediaTypes), mediaUrl: url, title: fileNameFromUrl(url) };
  },
});
