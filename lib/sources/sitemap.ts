// Docs followed: sitemaps.org protocol (https://www.sitemaps.org/protocol.html), Google image sitemaps (https://developers.google.com/search/docs/crawling-indexing/sitemaps/image-sitemaps) and video sitemaps (.../video-sitemaps).
import type { CheerioAPI } from "cheerio";
import { defineApiSource, drop, type PageCall } from "@/lib/sources/api-source";
import { checkedRecord, foundRecord } from "@/lib/sources/found-media";
import type { RecordOutcome } from "@/lib/sources/records";
import type { SourceAdapter } from "@/lib/sources/types";
import { httpUrl, loadXml, namespacePrefix, plainText, qualified, rootName } from "@/lib/sources/xml-doc";

// The images and videos that sitemaps declare with the image and video extensions:
// <image:image><image:loc> (with title, caption, license) and <video:video> with a direct
// <video:content_loc>. A sitemap index is followed one level: each sitemap it lists is read in
// turn; an index listed inside it is not followed. Every fetch is the source client's, through the
// context's guarded HTTP client.
//
// On the family base (api-source.ts) with no query and token paging: a "page" is one sitemap, named
// "<target index>" (a target URL's own sitemap, or the first sitemap of a target index) or
// "<target index>.<child index>" (a sitemap an index lists), so the cursor is "~<page>[:<records
// already handled>]", e.g. "~0.1:20". The records are the sitemap's media, once each. Reported as
// dropped: a video with only a player (video:player_loc, no video:content_loc), an image entry
// without image:loc, media in a format Trawl refuses (SVG, HEIC ...), and a sitemap that yields
// nothing — no media entries, an empty index, an index inside an index — so the walk goes on to the
// next sitemap instead of ending there. A target or child sitemap that cannot be fetched, or that is
// not a sitemap, fails the call with its reason (HTTP 5xx/429 retryable). There is no API base URL:
// the targets are fetched as given.
// Tested on a recorded sitemap (hebdenbridgetimes.co.uk, from crawler-commons' tests:
// tests/fixtures/sources/sitemap-crawler-commons-hebdenbridgetimes.provenance.md).

const IMAGE_NS = ["http://www.google.com/schemas/sitemap-image/1.1"];
const VIDEO_NS = ["http://www.google.com/schemas/sitemap-video/1.1"];
const PAGE = /^(\d{1,9})(?:\.(\d{1,9}))?$/;

interface Position {
  target: number;
  child?: number;
}

type Sitemap = { kind: "urlset"; url: string; records: RecordOutcome[] } | { kind: "index"; url: string; sitemaps: string[] };

function urlsetRecords($: CheerioAPI, base: string): RecordOutcome[] {
  const image = namespacePrefix($, IMAGE_NS, "image");
  const video = namespacePrefix($, VIDEO_NS, "video");
  return $("urlset > url")
    .toArray()
    .flatMap((el) => {
      const $url = $(el);
      const pageUrl = httpUrl($url.children("loc").first().text(), base);
      const images = $url
        .children(qualified(image, "image"))
        .toArray()
        .map((img): RecordOutcome => {
          const $img = $(img);
          const mediaUrl = httpUrl($img.children(qualified(image, "loc")).first().text(), base);
          if (!mediaUrl) return drop(pageUrl, "an image entry without an http(s) image:loc");
          const title = plainText($img.children(qualified(image, "title")).first().text());
          const caption = plainText($img.children(qualified(image, "caption")).first().text());
          return {
            item: {
              remoteId: mediaUrl,
              mediaType: "image",
              mediaUrl,
              pageUrl,
              title: title ?? caption,
              licenseUrl: httpUrl($img.children(qualified(image, "license")).first().text(), base),
            },
          };
        });
      const videos = $url
        .children(qualified(video, "video"))
        .toArray()
        .map((vid): RecordOutcome => {
          const $vid = $(vid);
          const mediaUrl = httpUrl($vid.children(qualified(video, "content_loc")).first().text(), base);
          if (!mediaUrl) {
            // Named by its page: player URLs are often one template for every video of a site.
            const player = httpUrl($vid.children(qualified(video, "player_loc")).first().text(), base);
            return drop(pageUrl ?? player, "a video with only a player (no video:content_loc)");
          }
          return {
            item: {
              remoteId: mediaUrl,
              mediaType: "video",
              mediaUrl,
              pageUrl,
              thumbnailUrl: httpUrl($vid.children(qualified(video, "thumbnail_loc")).first().text(), base),
              title: plainText($vid.children(qualified(video, "title")).first().text()),
              author: plainText($vid.children(qualified(video, "uploader")).first().text()),
            },
          };
        });
      return [...images, ...videos];
    });
}

/** The same file listed twice (under two pages, or as two entries) is one record, the first. */
function once(records: RecordOutcome[]): RecordOutcome[] {
  const seen = new Set<string>();
  return records.filter((record) => !("item" in record) || (!seen.has(record.item.mediaUrl) && seen.add(record.item.mediaUrl)));
}

async function readSitemap({ client }: PageCall<string>, url: string): Promise<Sitemap> {
  const doc = await client.text(url);
  const $ = loadXml(doc.text);
  const root = rootName($);
  if (root === "urlset") return { kind: "urlset", url: doc.url, records: once(urlsetRecords($, doc.url)) };
  if (root === "sitemapindex") {
    const sitemaps = $("sitemapindex > sitemap > loc")
      .toArray()
      .flatMap((loc) => httpUrl($(loc).text(), doc.url) ?? []);
    return { kind: "index", url: doc.url, sitemaps };
  }
  const gzipped = /\.gz$/i.test(new URL(doc.url).pathname) ? "; gzip-compressed sitemaps are not supported" : "";
  return client.refuse(`${doc.url} is not a sitemap (${doc.contentType || "no content type"}${gzipped})`);
}

function parsePage(call: PageCall<string>): Position {
  const match = PAGE.exec(call.page);
  if (!match) return call.client.refuse(`invalid cursor "${call.request.cursor}"`);
  return { target: Number(match[1]), child: match[2] === undefined ? undefined : Number(match[2]) };
}

/** A sitemap's media, or one drop saying why it has none (so the walk goes on past it). */
function recordsOf(sitemap: Sitemap): RecordOutcome[] {
  if (sitemap.kind === "index") return [drop(sitemap.url, "a sitemap index inside a sitemap index (not followed)")];
  return sitemap.records.length > 0 ? sitemap.records : [drop(sitemap.url, "no image or video entries in the sitemap")];
}

async function fetchSitemapPage(call: PageCall<string>) {
  const { client, request } = call;
  const at = parsePage(call);
  const targets = request.targetUrls;
  if (at.target >= targets.length) return { records: [], next: null };
  const nextTarget = at.target + 1 < targets.length ? String(at.target + 1) : null;

  const top = await readSitemap(call, targets[at.target]);
  if (top.kind === "urlset") {
    if (at.child !== undefined) client.refuse(`invalid cursor "${request.cursor}"`);
    return { records: recordsOf(top), next: nextTarget };
  }
  if (top.sitemaps.length === 0) return { records: [drop(top.url, "a sitemap index that lists no sitemaps")], next: nextTarget };
  const child = at.child ?? 0;
  if (child >= top.sitemaps.length) client.refuse(`invalid cursor "${request.cursor}"`);
  const nested = await readSitemap(call, top.sitemaps[child]);
  return {
    records: recordsOf(nested),
    next: child + 1 < top.sitemaps.length ? `${at.target}.${child + 1}` : nextTarget,
  };
}

export function createSitemap(options: { id: string; name: string }): SourceAdapter {
  return defineApiSource({
    entry: {
      id: options.id,
      adapter: "sitemap",
      politeness: { requestsPerSecond: 2, concurrency: 2 },
      name: options.name,
      description: "Images and videos declared in the XML sitemaps you list (image and video sitemap extensions, sitemap indexes).",
      homepage: "https://www.sitemaps.org/protocol.html",
      category: "generic",
      mediaTypes: ["image", "video"],
      input: "urls",
      safeSearch: false,
    },
    query: "none",
    firstPage: "0",
    fetchPage: fetchSitemapPage,
    record: foundRecord,
    toItems: checkedRecord,
  });
}
