// Docs followed: sitemaps.org protocol (https://www.sitemaps.org/protocol.html), Google image sitemaps (https://developers.google.com/search/docs/crawling-indexing/sitemaps/image-sitemaps) and video sitemaps (.../video-sitemaps).
import type { CheerioAPI } from "cheerio";
import { wantsMediaType } from "@/lib/sources/media-kinds";
import { fetchText } from "@/lib/sources/source-http";
import { SourceError } from "@/lib/sources/types";
import type { SearchPage, SearchRequest, SourceAdapter, SourceContext, SourceItem } from "@/lib/sources/types";
import { httpUrl, loadXml, namespacePrefix, plainText, qualified, rootName } from "@/lib/sources/xml-doc";

// The images and videos that sitemaps declare with the image and video extensions:
// <image:image><image:loc> (with title, caption, license) and <video:video> with a direct
// <video:content_loc> (player-only videos are skipped). A sitemap index is followed one
// level: each sitemap it lists is read in turn; indexes inside it are not followed.
//
// The cursor is "<target>[.<child>][:<skip>]": the target URL's index, the child sitemap's
// index when the target is a sitemap index, and how many of that sitemap's items earlier
// calls returned.

const NAME = "Sitemap";
const IMAGE_NS = ["http://www.google.com/schemas/sitemap-image/1.1"];
const VIDEO_NS = ["http://www.google.com/schemas/sitemap-video/1.1"];

interface Position {
  target: number;
  child?: number;
  skip: number;
}

const CURSOR = /^(\d{1,9})(?:\.(\d{1,9}))?(?::(\d{1,9}))?$/;

function parseCursor(cursor: string | null): Position {
  if (cursor === null) return { target: 0, skip: 0 };
  const match = CURSOR.exec(cursor);
  if (!match) throw new SourceError(`${NAME}: invalid cursor "${cursor}"`, undefined, false);
  return {
    target: Number(match[1]),
    child: match[2] === undefined ? undefined : Number(match[2]),
    skip: match[3] === undefined ? 0 : Number(match[3]),
  };
}

function formatCursor({ target, child, skip }: Position) {
  return `${target}${child === undefined ? "" : `.${child}`}${skip === 0 ? "" : `:${skip}`}`;
}

type Sitemap = { kind: "urlset"; items: SourceItem[] } | { kind: "index"; sitemaps: string[] };

function urlsetItems($: CheerioAPI, base: string): SourceItem[] {
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
        .flatMap((img): SourceItem[] => {
          const $img = $(img);
          const mediaUrl = httpUrl($img.children(qualified(image, "loc")).first().text(), base);
          if (!mediaUrl) return [];
          const title = plainText($img.children(qualified(image, "title")).first().text());
          const caption = plainText($img.children(qualified(image, "caption")).first().text());
          return [
            {
              remoteId: mediaUrl,
              mediaType: "image",
              mediaUrl,
              pageUrl,
              title: title ?? caption,
              licenseUrl: httpUrl($img.children(qualified(image, "license")).first().text(), base),
            },
          ];
        });
      const videos = $url
        .children(qualified(video, "video"))
        .toArray()
        .flatMap((vid): SourceItem[] => {
          const $vid = $(vid);
          const mediaUrl = httpUrl($vid.children(qualified(video, "content_loc")).first().text(), base);
          if (!mediaUrl) return [];
          return [
            {
              remoteId: mediaUrl,
              mediaType: "video",
              mediaUrl,
              pageUrl,
              thumbnailUrl: httpUrl($vid.children(qualified(video, "thumbnail_loc")).first().text(), base),
              title: plainText($vid.children(qualified(video, "title")).first().text()),
              author: plainText($vid.children(qualified(video, "uploader")).first().text()),
            },
          ];
        });
      return [...images, ...videos];
    });
}

async function readSitemap(context: SourceContext, url: string): Promise<Sitemap> {
  const doc = await fetchText(NAME, context.http, url);
  const $ = loadXml(doc.text);
  const root = rootName($);
  if (root === "urlset") return { kind: "urlset", items: urlsetItems($, doc.url) };
  if (root === "sitemapindex") {
    const sitemaps = $("sitemapindex > sitemap > loc")
      .toArray()
      .flatMap((loc) => httpUrl($(loc).text(), doc.url) ?? []);
    return { kind: "index", sitemaps };
  }
  const gzipped = /\.gz$/i.test(new URL(doc.url).pathname) ? "; gzip-compressed sitemaps are not supported" : "";
  throw new SourceError(`${NAME}: ${doc.url} is not a sitemap (${doc.contentType || "no content type"}${gzipped})`, undefined, false);
}

async function search(request: SearchRequest, context: SourceContext): Promise<SearchPage> {
  const position = parseCursor(request.cursor);
  const targets = request.targetUrls;
  if (position.target >= targets.length) return { items: [], nextCursor: null };
  const nextTarget = (): string | null =>
    position.target + 1 < targets.length ? formatCursor({ target: position.target + 1, skip: 0 }) : null;

  const top = await readSitemap(context, targets[position.target]);
  let items: SourceItem[];
  let at: Position;
  let afterThis: string | null;
  if (top.kind === "urlset") {
    if (position.child !== undefined) throw new SourceError(`${NAME}: invalid cursor "${request.cursor}"`, undefined, false);
    items = top.items;
    at = position;
    afterThis = nextTarget();
  } else {
    const child = position.child ?? 0;
    if (child >= top.sitemaps.length) return { items: [], nextCursor: nextTarget() };
    const nested = await readSitemap(context, top.sitemaps[child]);
    // One level only: an index listed by an index contributes nothing.
    items = nested.kind === "urlset" ? nested.items : [];
    at = { ...position, child };
    afterThis = child + 1 < top.sitemaps.length ? formatCursor({ target: position.target, child: child + 1, skip: 0 }) : nextTarget();
  }

  const seen = new Set<string>();
  const wanted = items.filter(
    (item) => wantsMediaType(request.mediaTypes, item.mediaType) && !seen.has(item.mediaUrl) && seen.add(item.mediaUrl),
  );
  const end = at.skip + Math.max(0, request.limit);
  return {
    items: wanted.slice(at.skip, end),
    nextCursor: end < wanted.length ? formatCursor({ ...at, skip: end }) : afterThis,
  };
}

export function createSitemap(options: { id: string; name: string }): SourceAdapter {
  return {
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
    search,
  };
}
