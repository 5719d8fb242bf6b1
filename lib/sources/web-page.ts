// Docs followed: HTML Living Standard, embedded content (img srcset, picture, video, source) and the Open Graph protocol (https://ogp.me/).
import { defineApiSource, drop } from "@/lib/sources/api-source";
import { checkedRecord, foundRecord, targetOfPage } from "@/lib/sources/found-media";
import { extractMediaFromHtml } from "@/lib/sources/html-media";
import type { RecordOutcome } from "@/lib/sources/records";
import type { SourceAdapter } from "@/lib/sources/types";

// The media shown on or linked from the web pages the job lists (html-media.ts: img, picture,
// video, og:/twitter: media tags, links to media files), the largest srcset candidate of each.
//
// On the family base (api-source.ts) with no query: a "page" is one target URL, its index into the
// job's target URLs (first 0), and its records are the media found there, so the cursor is
// "<target index>[:<media already handled>]". Every fetch is the source client's, which goes
// through the context's guarded HTTP client (SSRF guard, size and time caps). A target that cannot
// be fetched fails the call with its reason (HTTP 5xx/429 retryable, 404 or a blocked address not),
// as does a target that is not HTML; a page with no media is reported as a dropped record, and so
// is media in a format Trawl refuses (SVG, HEIC, PDF ...). There is no API base URL: the targets
// are fetched as given.
// Tested on a page saved by trafilatura's tests (tests/fixtures/sources/web-page-trafilatura-jolie.provenance.md).

const NAME = "Web page";

function isHtml(contentType: string) {
  const essence = contentType.split(";")[0].trim().toLowerCase();
  // An empty type is served by some hosts for HTML; parsing will tell.
  return essence === "" || essence === "text/html" || essence === "application/xhtml+xml";
}

export const webPage: SourceAdapter = defineApiSource({
  entry: {
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
  },
  query: "none",
  firstPage: 0,
  async fetchPage({ client, request, page }) {
    const { target, next } = targetOfPage(request, page);
    if (target === undefined) return { records: [], next: null };
    const doc = await client.text(target);
    if (!isHtml(doc.contentType)) {
      client.refuse(`${doc.url} is not an HTML page (${doc.contentType}); use Direct links for media files`);
    }
    const found = extractMediaFromHtml(doc.text, doc.url);
    const records: RecordOutcome[] =
      found.length > 0 ? found.map((item) => ({ item })) : [drop(doc.url, "no images or videos on the page")];
    return { records, next };
  },
  record: foundRecord,
  toItems: checkedRecord,
});
