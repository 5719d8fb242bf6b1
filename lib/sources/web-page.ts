import { extractMediaFromHtml } from "@/lib/sources/html-media";
import { wantsMediaType } from "@/lib/sources/media-kinds";
import { formatPositionCursor, parsePositionCursor } from "@/lib/sources/position-cursor";
import { fetchText } from "@/lib/sources/source-http";
import { SourceError, type SearchPage, type SearchRequest, type SourceAdapter, type SourceContext } from "@/lib/sources/types";

const NAME = "Web page";

function isHtml(contentType: string) {
  const essence = contentType.split(";")[0].trim().toLowerCase();
  // An empty type is served by some hosts for HTML; parsing will tell.
  return essence === "" || essence === "text/html" || essence === "application/xhtml+xml";
}

/** One target page per call; the cursor is "<page index>" or "<page index>:<items already returned>". */
async function search(request: SearchRequest, context: SourceContext): Promise<SearchPage> {
  const { index, skip } = parsePositionCursor(NAME, request.cursor, 0);
  if (index >= request.targetUrls.length) return { items: [], nextCursor: null };

  const page = await fetchText(NAME, context.http, request.targetUrls[index]);
  if (!isHtml(page.contentType)) {
    throw new SourceError(
      `${NAME}: ${page.url} is not an HTML page (${page.contentType}); use Direct links for media files`,
      undefined,
      false,
    );
  }
  const found = extractMediaFromHtml(page.text, page.url).filter((item) => wantsMediaType(request.mediaTypes, item.mediaType));
  const end = skip + Math.max(0, request.limit);
  const items = found.slice(skip, end);

  const hasMoreOnPage = end < found.length;
  const next = hasMoreOnPage ? { index, skip: end } : { index: index + 1, skip: 0 };
  const done = !hasMoreOnPage && next.index >= request.targetUrls.length;
  return { items, nextCursor: done ? null : formatPositionCursor(next) };
}

export const webPage: SourceAdapter = {
  id: "web-page",
  adapter: "web-page",
  politeness: { requestsPerSecond: 2, concurrency: 2 },
  name: NAME,
  description: "Images and videos shown on or linked from the web pages you list (img, picture, video, og: tags, media links).",
  homepage: "https://html.spec.whatwg.org/multipage/embedded-content.html",
  category: "generic",
  mediaTypes: ["image", "video"],
  input: "urls",
  safeSearch: false,
  search,
};
