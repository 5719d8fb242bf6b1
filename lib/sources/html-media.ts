import { load, type Cheerio, type CheerioAPI } from "cheerio";
import type { Element } from "domhandler";
import { fileNameFromUrl } from "@/lib/media/file-names";
import { mediaTypeFromExtension, mediaTypeFromMime } from "@/lib/sources/media-kinds";
import { largestCandidate, parseSrcset, type SrcsetCandidate } from "@/lib/sources/srcset";
import type { MediaType, SourceItem } from "@/lib/sources/types";

// Finds the media an HTML page shows or links to. One item per <img>, <picture> and <video>
// (the version a browser would pick at the largest size), plus og:/twitter: media meta
// tags and <a> links to media files. Posters are previews of a video, not media.

const IMAGE_META = new Set(["og:image", "og:image:url", "og:image:secure_url", "twitter:image", "twitter:image:src"]);
const VIDEO_META = new Set(["og:video", "og:video:url", "og:video:secure_url"]);
const MAX_LINK_TEXT_TITLE = 200;

interface Found {
  url: string;
  mediaType: MediaType;
  title?: string;
}

/** An absolute http(s) URL without its fragment, or undefined for data:, javascript:, blob: and junk. */
function resolveUrl(raw: string | undefined, base: string): string | undefined {
  const value = raw?.trim();
  if (!value || !URL.canParse(value, base)) return undefined;
  const url = new URL(value, base);
  if (url.protocol !== "http:" && url.protocol !== "https:") return undefined;
  url.hash = "";
  return url.href;
}

function text(value: string | undefined) {
  const trimmed = value?.replace(/\s+/g, " ").trim();
  return trimmed ? trimmed : undefined;
}

function baseUrl($: CheerioAPI, pageUrl: string) {
  return resolveUrl($("base[href]").first().attr("href"), pageUrl) ?? pageUrl;
}

/** srcset candidates, with src as the implicit 1x candidate when no width descriptors are used. */
function imageCandidates($img: Cheerio<Element>): SrcsetCandidate[] {
  const srcset = parseSrcset($img.attr("srcset") ?? $img.attr("data-srcset") ?? "");
  const src = text($img.attr("src") ?? $img.attr("data-src"));
  const usesWidths = srcset.some((c) => c.width !== undefined);
  return src && !usesWidths ? [...srcset, { url: src, density: 1 }] : srcset;
}

function imgTitle($img: Cheerio<Element>) {
  return text($img.attr("alt")) ?? text($img.attr("title"));
}

function fromImg($: CheerioAPI, el: Element, base: string): Found[] {
  const $img = $(el);
  if ($img.parent().is("picture")) return []; // the <picture> reports it
  const url = resolveUrl(largestCandidate(imageCandidates($img))?.url, base);
  return url ? [{ url, mediaType: "image", title: imgTitle($img) }] : [];
}

function fromPicture($: CheerioAPI, el: Element, base: string): Found[] {
  const $picture = $(el);
  const $img = $picture.children("img").first();
  // Sources wrapped in a hidden <video> are picturefill's workaround for IE9, still found on older sites.
  const sources = [...$picture.children("source[srcset]").toArray(), ...$picture.children("video").children("source[srcset]").toArray()];
  const candidates = [
    ...sources.flatMap((source) => parseSrcset($(source).attr("srcset") ?? "")),
    ...($img.length ? imageCandidates($img) : []),
  ];
  const url = resolveUrl(largestCandidate(candidates)?.url, base);
  return url ? [{ url, mediaType: "image", title: $img.length ? imgTitle($img) : undefined }] : [];
}

/** Like a browser: the src attribute wins, else the first <source> that is not audio. */
function fromVideo($: CheerioAPI, el: Element, base: string): Found[] {
  const $video = $(el);
  const title = text($video.attr("title")) ?? text($video.attr("aria-label"));
  const src = resolveUrl($video.attr("src"), base);
  if (src) return [{ url: src, mediaType: "video", title }];
  for (const source of $video.children("source[src]").toArray()) {
    const $source = $(source);
    const type = text($source.attr("type"));
    if (type !== undefined && mediaTypeFromMime(type) !== "video") continue;
    const url = resolveUrl($source.attr("src"), base);
    if (url) return [{ url, mediaType: "video", title }];
  }
  return [];
}

function fromMeta($: CheerioAPI, el: Element, base: string): Found[] {
  const $meta = $(el);
  const key = ($meta.attr("property") ?? $meta.attr("name") ?? "").trim().toLowerCase();
  if (!IMAGE_META.has(key) && !VIDEO_META.has(key)) return [];
  const url = resolveUrl($meta.attr("content"), base);
  if (!url) return [];
  const title = text($('meta[property="og:title"]').attr("content"));
  if (IMAGE_META.has(key)) {
    return [{ url, mediaType: "image", title: text($('meta[property="og:image:alt"]').attr("content")) ?? title }];
  }
  // og:video is often an embeddable player page; take it only when it is a video file.
  const declared = text($('meta[property="og:video:type"]').attr("content"));
  const isFile = declared ? mediaTypeFromMime(declared) === "video" : mediaTypeFromExtension(url) === "video";
  return isFile ? [{ url, mediaType: "video", title }] : [];
}

function fromLink($: CheerioAPI, el: Element, base: string): Found[] {
  const $a = $(el);
  const url = resolveUrl($a.attr("href"), base);
  const mediaType = url ? mediaTypeFromExtension(url) : undefined;
  if (!url || !mediaType) return [];
  const linkText = text($a.text());
  const title = text($a.attr("title")) ?? (linkText && linkText.length <= MAX_LINK_TEXT_TITLE ? linkText : undefined);
  return [{ url, mediaType, title }];
}

const EXTRACTORS: Record<string, ($: CheerioAPI, el: Element, base: string) => Found[]> = {
  meta: fromMeta,
  img: fromImg,
  picture: fromPicture,
  video: fromVideo,
  a: fromLink,
};

/** Media found on the page, in document order, deduplicated by absolute URL. */
export function extractMediaFromHtml(html: string, pageUrl: string): SourceItem[] {
  const $ = load(html);
  const base = baseUrl($, pageUrl);
  const items = new Map<string, SourceItem>();
  for (const el of $("meta[content], img, picture, video, a[href]").toArray()) {
    for (const found of EXTRACTORS[el.tagName.toLowerCase()]($, el, base)) {
      if (items.has(found.url)) continue;
      items.set(found.url, {
        remoteId: found.url,
        mediaType: found.mediaType,
        mediaUrl: found.url,
        pageUrl,
        title: found.title ?? fileNameFromUrl(found.url),
      });
    }
  }
  return [...items.values()];
}
