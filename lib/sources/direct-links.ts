import { fileNameFromUrl } from "@/lib/media/file-names";
import { mediaTypeFromExtension, wantsMediaType } from "@/lib/sources/media-kinds";
import { parsePositionCursor } from "@/lib/sources/position-cursor";
import { SourceError } from "@/lib/sources/types";
import type { MediaFilter, MediaType, SearchPage, SearchRequest, SourceAdapter, SourceItem } from "@/lib/sources/types";

const NAME = "Direct links";

function absoluteMediaUrl(raw: string): string {
  const value = raw.trim();
  const url = URL.canParse(value) ? new URL(value) : undefined;
  if (!url || (url.protocol !== "http:" && url.protocol !== "https:")) {
    throw new SourceError(`${NAME}: not an http(s) URL: ${raw}`, undefined, false);
  }
  url.hash = "";
  return url.href;
}

// Without a known extension the real type is decided later by sniffing the downloaded bytes;
// until then assume the type the job asked for ("image" when it asked for both).
function guessMediaType(url: string, filter: MediaFilter): MediaType {
  return mediaTypeFromExtension(url) ?? (filter === "videos" ? "video" : "image");
}

/** Each distinct target URL is an item; the cursor is the index of the next one. */
async function search(request: SearchRequest): Promise<SearchPage> {
  const urls = [...new Set(request.targetUrls.map(absoluteMediaUrl))];
  let { index } = parsePositionCursor(NAME, request.cursor, 0);
  const items: SourceItem[] = [];
  while (index < urls.length && items.length < request.limit) {
    const url = urls[index++];
    const mediaType = guessMediaType(url, request.mediaTypes);
    if (!wantsMediaType(request.mediaTypes, mediaType)) continue;
    items.push({ remoteId: url, mediaType, mediaUrl: url, title: fileNameFromUrl(url) });
  }
  return { items, nextCursor: index < urls.length ? String(index) : null };
}

export const directLinks: SourceAdapter = {
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
  search,
};
