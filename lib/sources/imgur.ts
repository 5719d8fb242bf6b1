// Docs followed: Imgur API v3 gallery search (https://apidocs.imgur.com/#3c981acf-47aa-488f-b068-269f65aee3ce), gallery-dl imgur.py for the image fields.
import { z } from "zod";

import { wantsMediaType } from "@/lib/sources/media-kinds";
import { nextPagedCursor, parsePagedCursor } from "@/lib/sources/paged-cursor";
import { fetchKeyedJson, parseResponse, requireKey } from "@/lib/sources/source-http";
import { SourceError } from "@/lib/sources/types";
import type { DroppedRecord, SearchPage, SearchRequest, SourceAdapter, SourceContext, SourceItem } from "@/lib/sources/types";

// Imgur gallery search (/gallery/search/top/all/<page>?q=), with "Authorization: Client-ID".
// A result is a single image or an album of images; each image becomes one item. Imgur has
// no safe-search parameter but flags posts nsfw, so safe search drops those. Animated GIFs
// also come as MP4: a videos job gets the MP4, other jobs the GIF. Every entry or image that
// yields no item is reported in SearchPage.dropped (nsfw under safe search, an album without
// images, the media type filter).
//
// No recorded gallery search response was found to prove this on (searched: client libraries'
// fixtures and cassettes, gallery-dl and other tools' test data); the fixtures are Trawl's own.

const NAME = "Imgur";
const SORT = "top";
const WINDOW = "all";

const imageFields = {
  id: z.string(),
  title: z.string().nullish(),
  type: z.string(),
  animated: z.boolean().nullish(),
  link: z.string(),
  mp4: z.string().nullish(),
  nsfw: z.boolean().nullish(),
};
const imageSchema = z.object(imageFields);
type Image = z.infer<typeof imageSchema>;

const entrySchema = z.discriminatedUnion("is_album", [
  z.object({
    is_album: z.literal(true),
    id: z.string(),
    title: z.string().nullish(),
    account_url: z.string().nullish(),
    nsfw: z.boolean().nullish(),
    images: z.array(imageSchema).nullish(),
  }),
  z.object({ is_album: z.literal(false), ...imageFields, account_url: z.string().nullish() }),
]);
type Entry = z.infer<typeof entrySchema>;

const responseSchema = z.object({ data: z.array(entrySchema), success: z.boolean() });

const PHASES = ["gallery"] as const;

function imagesOf(entry: Entry): Image[] {
  return entry.is_album ? (entry.images ?? []) : [entry];
}

function toItem(entry: Entry, image: Image, request: SearchRequest): SourceItem | DroppedRecord {
  const isVideo = image.type.startsWith("video/");
  const useMp4 = isVideo || (request.mediaTypes === "videos" && Boolean(image.animated) && Boolean(image.mp4));
  const mediaType = useMp4 ? "video" : "image";
  if (!wantsMediaType(request.mediaTypes, mediaType)) {
    return {
      remoteId: image.id,
      reason: mediaType === "video" ? "a video (the job asks for images only)" : "an image (the job asks for videos only)",
    };
  }
  return {
    remoteId: image.id,
    mediaType,
    mediaUrl: useMp4 ? (image.mp4 ?? image.link) : image.link,
    pageUrl: `https://imgur.com/gallery/${encodeURIComponent(entry.id)}`,
    title: image.title?.trim() || entry.title?.trim() || undefined,
    author: entry.account_url ?? undefined,
  };
}

export function createImgur(options: { id: string; name: string; apiUrl: string | (() => string) }): SourceAdapter {
  const apiUrl = () => (typeof options.apiUrl === "function" ? options.apiUrl() : options.apiUrl).replace(/\/+$/, "");

  async function search(request: SearchRequest, context: SourceContext): Promise<SearchPage> {
    const key = requireKey(NAME, context);
    const query = request.query.trim();
    if (!query) throw new SourceError(`${NAME}: a search query is required`, undefined, false);
    const position = parsePagedCursor(NAME, request.cursor, PHASES, 0);
    if (request.limit < 1) return { items: [], nextCursor: request.cursor };

    const url = new URL(`${apiUrl()}/gallery/search/${SORT}/${WINDOW}/${position.page}`);
    url.searchParams.set("q", query);
    const body = await fetchKeyedJson(NAME, context.http, url.href, { headers: { Authorization: `Client-ID ${key}` } });
    const data = parseResponse(NAME, responseSchema, body);

    const found: SourceItem[] = [];
    const dropped: DroppedRecord[] = [];
    for (const entry of data.data) {
      if (request.safeSearch && entry.nsfw) {
        dropped.push({ remoteId: entry.id, reason: "marked nsfw (safe search is on)" });
        continue;
      }
      const images = imagesOf(entry);
      if (images.length === 0) dropped.push({ remoteId: entry.id, reason: "an album without images" });
      for (const image of images) {
        const result =
          request.safeSearch && image.nsfw
            ? { remoteId: image.id, reason: "marked nsfw (safe search is on)" }
            : toItem(entry, image, request);
        if ("mediaUrl" in result) found.push(result);
        else dropped.push(result);
      }
    }
    const items = found.slice(position.skip, position.skip + request.limit);
    const nextCursor = nextPagedCursor(position, {
      limit: request.limit,
      count: found.length,
      // Imgur reports no totals: an empty page is the end.
      hasNextPage: data.data.length > 0,
      phases: PHASES,
      firstPage: 0,
    });
    // A page cut by the limit is fetched again with a skip: its drops were reported on the first visit.
    return { items, nextCursor, dropped: position.skip === 0 ? dropped : [] };
  }

  return {
    id: options.id,
    adapter: "imgur",
    // Client IDs get 12,500 requests a day; uncredited IPs fewer.
    politeness: { requestsPerSecond: 1, concurrency: 1 },
    name: options.name,
    description: "Images, GIFs and short videos from Imgur's public gallery.",
    homepage: "https://imgur.com/",
    category: "social",
    mediaTypes: ["image", "video"],
    input: "query",
    safeSearch: true,
    key: {
      label: "Imgur Client ID",
      help: "Free: register an application at https://api.imgur.com/oauth2/addclient and use its Client ID.",
    },
    search,
  };
}
