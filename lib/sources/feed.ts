// Docs followed: RSS 2.0 spec (https://www.rssboard.org/rss-specification#ltenclosuregtSubelementOfLtitemgt), Media RSS 1.5.1 (https://www.rssboard.org/media-rss), Atom RFC 4287 §4.2.7, JSON Feed 1.1 (https://www.jsonfeed.org/version/1.1/).
import type { Cheerio, CheerioAPI } from "cheerio";
import type { Element } from "domhandler";
import { z } from "zod";
import { mediaTypeFromExtension, mediaTypeFromMime, wantsMediaType } from "@/lib/sources/media-kinds";
import { formatPositionCursor, parsePositionCursor } from "@/lib/sources/position-cursor";
import { fetchText, malformed } from "@/lib/sources/source-http";
import { SourceError } from "@/lib/sources/types";
import type { MediaType, SearchPage, SearchRequest, SourceAdapter, SourceContext, SourceItem } from "@/lib/sources/types";
import { httpUrl, loadXml, namespacePrefix, plainText, qualified, rootName } from "@/lib/sources/xml-doc";

// The media enclosed in the feeds the job lists: RSS <enclosure> and Media RSS
// <media:content> (also inside <media:group>), Atom <link rel="enclosure">, JSON Feed
// attachments. <media:thumbnail> and JSON Feed "image" become the item's thumbnail. Audio
// and other enclosures are skipped. One feed per call; the cursor is "<feed index>" or
// "<feed index>:<items already returned>".

const NAME = "Feed";
const MEDIA_RSS = ["http://search.yahoo.com/mrss/", "http://search.yahoo.com/mrss"];
const DUBLIN_CORE = ["http://purl.org/dc/elements/1.1/"];

interface Entry {
  title?: string;
  pageUrl?: string;
  author?: string;
  thumbnailUrl?: string;
}

/** The media type an enclosure announces by MIME type or Media RSS medium, else by file extension. */
function enclosureType(url: string, mime: string | undefined, medium?: string): MediaType | undefined {
  if (mime) {
    const byMime = mediaTypeFromMime(mime);
    if (byMime) return byMime;
    // A declared non-media type (audio/mpeg, application/pdf) is trusted over the extension.
    if (!mime.toLowerCase().startsWith("application/octet-stream")) return undefined;
  }
  if (medium === "image" || medium === "video") return medium;
  if (medium) return undefined;
  return mediaTypeFromExtension(url);
}

function item(url: string, mediaType: MediaType, entry: Entry, title?: string): SourceItem {
  return {
    remoteId: url,
    mediaType,
    mediaUrl: url,
    thumbnailUrl: entry.thumbnailUrl,
    pageUrl: entry.pageUrl,
    title: title ?? entry.title,
    author: entry.author,
  };
}

function xmlItems($: CheerioAPI, base: string): SourceItem[] {
  const root = rootName($);
  const media = namespacePrefix($, MEDIA_RSS, "media");
  const dc = namespacePrefix($, DUBLIN_CORE, "dc");
  const isAtom = root === "feed";
  const entries = isAtom ? $("feed > entry") : $("item");

  function mediaRss($entry: Cheerio<Element>, entry: Entry): SourceItem[] {
    return $entry
      .find(qualified(media, "content"))
      .toArray()
      .flatMap((el) => {
        const $content = $(el);
        const url = httpUrl($content.attr("url"), base);
        const type = url && enclosureType(url, $content.attr("type"), $content.attr("medium"));
        return url && type ? [item(url, type, entry, plainText($content.children(qualified(media, "title")).first().text()))] : [];
      });
  }

  return entries.toArray().flatMap((el) => {
    const $entry = $(el);
    const thumbnail = httpUrl($entry.find(qualified(media, "thumbnail")).first().attr("url"), base);
    const entry: Entry = {
      title: plainText($entry.children("title").first().text()),
      thumbnailUrl: thumbnail,
      pageUrl: isAtom
        ? httpUrl($entry.children('link[rel="alternate"], link:not([rel])').first().attr("href"), base)
        : httpUrl($entry.children("link").first().text(), base),
      author: isAtom
        ? plainText($entry.children("author").first().children("name").text())
        : (plainText($entry.children(qualified(dc, "creator")).first().text()) ?? plainText($entry.children("author").first().text())),
    };
    const enclosures = isAtom
      ? $entry
          .children('link[rel="enclosure"]')
          .toArray()
          .flatMap((link) => {
            const url = httpUrl($(link).attr("href"), base);
            const type = url && enclosureType(url, $(link).attr("type"));
            return url && type ? [item(url, type, entry, plainText($(link).attr("title")))] : [];
          })
      : $entry
          .children("enclosure")
          .toArray()
          .flatMap((enclosure) => {
            const url = httpUrl($(enclosure).attr("url"), base);
            const type = url && enclosureType(url, $(enclosure).attr("type"));
            return url && type ? [item(url, type, entry)] : [];
          });
    return [...enclosures, ...mediaRss($entry, entry)];
  });
}

const jsonFeedSchema = z.object({
  version: z.string().startsWith("https://jsonfeed.org/version/"),
  items: z.array(
    z.object({
      url: z.string().nullish(),
      title: z.string().nullish(),
      image: z.string().nullish(),
      author: z.object({ name: z.string().nullish() }).nullish(),
      authors: z.array(z.object({ name: z.string().nullish() })).nullish(),
      attachments: z.array(z.object({ url: z.string(), mime_type: z.string(), title: z.string().nullish() })).nullish(),
    }),
  ),
});

function jsonFeedItems(data: z.infer<typeof jsonFeedSchema>, base: string): SourceItem[] {
  return data.items.flatMap((jsonItem) => {
    const entry: Entry = {
      title: plainText(jsonItem.title ?? undefined),
      pageUrl: httpUrl(jsonItem.url ?? undefined, base),
      author: plainText(jsonItem.authors?.[0]?.name ?? jsonItem.author?.name ?? undefined),
      thumbnailUrl: httpUrl(jsonItem.image ?? undefined, base),
    };
    return (jsonItem.attachments ?? []).flatMap((attachment) => {
      const url = httpUrl(attachment.url, base);
      const type = url && enclosureType(url, attachment.mime_type);
      return url && type ? [item(url, type, entry, plainText(attachment.title ?? undefined))] : [];
    });
  });
}

function isJson(contentType: string, text: string) {
  return /[/+]json\b/i.test(contentType) || text.trimStart().startsWith("{");
}

/** Every media enclosure of a feed document, once each, in document order. */
export function feedMedia(text: string, feedUrl: string, contentType: string): SourceItem[] {
  let found: SourceItem[];
  if (isJson(contentType, text)) {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (error) {
      if (!(error instanceof SyntaxError)) throw error;
      return malformed(NAME, `${feedUrl} is not valid JSON`);
    }
    const parsed = jsonFeedSchema.safeParse(json);
    if (!parsed.success)
      throw new SourceError(`${NAME}: ${feedUrl} is not a JSON Feed (${parsed.error.issues[0].message})`, undefined, false);
    found = jsonFeedItems(parsed.data, feedUrl);
  } else {
    const $ = loadXml(text);
    const root = rootName($);
    if (root !== "rss" && root !== "feed" && root !== "rdf:RDF") {
      throw new SourceError(`${NAME}: ${feedUrl} is not an RSS, Atom or JSON feed (${contentType || "no content type"})`, undefined, false);
    }
    found = xmlItems($, feedUrl);
  }
  const seen = new Set<string>();
  return found.filter((entry) => !seen.has(entry.mediaUrl) && seen.add(entry.mediaUrl));
}

async function search(request: SearchRequest, context: SourceContext): Promise<SearchPage> {
  const { index, skip } = parsePositionCursor(NAME, request.cursor, 0);
  if (index >= request.targetUrls.length) return { items: [], nextCursor: null };

  const doc = await fetchText(NAME, context.http, request.targetUrls[index]);
  const found = feedMedia(doc.text, doc.url, doc.contentType).filter((entry) => wantsMediaType(request.mediaTypes, entry.mediaType));
  const end = skip + Math.max(0, request.limit);
  const items = found.slice(skip, end);

  const hasMoreInFeed = end < found.length;
  const next = hasMoreInFeed ? { index, skip: end } : { index: index + 1, skip: 0 };
  const done = !hasMoreInFeed && next.index >= request.targetUrls.length;
  return { items, nextCursor: done ? null : formatPositionCursor(next) };
}

export function createFeed(options: { id: string; name: string }): SourceAdapter {
  return {
    id: options.id,
    adapter: "feed",
    politeness: { requestsPerSecond: 2, concurrency: 2 },
    name: options.name,
    description: "Images and videos enclosed in the RSS, Atom or JSON feeds you list (enclosures, Media RSS, attachments).",
    homepage: "https://www.rssboard.org/rss-specification",
    category: "generic",
    mediaTypes: ["image", "video"],
    input: "urls",
    safeSearch: false,
    search,
  };
}
