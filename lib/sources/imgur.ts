// Docs followed: Imgur API v3 gallery search (https://apidocs.imgur.com/#3c981acf-47aa-488f-b068-269f65aee3ce) and Album Images (GET /3/album/{albumHash}/images, same docs), gallery-dl imgur.py for the image fields.
import { z } from "zod";
import { defineApiSource, drop, type RecordResult } from "@/lib/sources/api-source";
import { mediaTypeFromExtension } from "@/lib/sources/media-kinds";
import { malformedRecord, recordId, type RecordOutcome } from "@/lib/sources/records";
import { RecordGone, type SourceClient } from "@/lib/sources/source-client";
import type { SearchRequest, SourceAdapter, SourceItem } from "@/lib/sources/types";

// Imgur gallery search (/gallery/search/top/all/<page>?q=, pages from 0), with "Authorization:
// Client-ID". A result is a single image or an album of images; each image becomes one item, and
// an album is returned whole. The search lists at most the first 3 images of an album (as the
// recorded response shows; images_count says how many it has): for a longer album the whole list
// is read from /album/<id>/images, and if that list is gone (404) or malformed, the images the
// search listed are kept and the missing ones are reported as dropped.
// Imgur has no safe-search parameter but flags posts nsfw, so safe search drops those. Animated
// GIFs also come as MP4: a videos job gets the MP4, other jobs the GIF. Every entry or image that
// yields no item is reported in SearchPage.dropped: nsfw under safe search, an album without
// images, a malformed image (the rest of the album is kept), a file of a format Trawl does not
// store, the media type filter.
//
// Tested on a recorded gallery search page (NazimHAli/imgur-explorer src/__tests__/fixtures/imgurResponse.ts,
// see tests/fixtures/sources/imgur-recorded-gallery-search.provenance.md): 60 albums, 11 of them
// listed with 3 of their images only.

const SORT = "top";
const WINDOW = "all";
/** Album records resolved at once: a long album costs a request for its image list. */
const ALBUM_CONCURRENCY = 4;

const imageSchema = z.object({
  id: z.string(),
  title: z.string().nullish(),
  type: z.string(),
  animated: z.boolean().nullish(),
  link: z.string(),
  mp4: z.string().nullish(),
  nsfw: z.boolean().nullish(),
});
type Image = z.infer<typeof imageSchema>;

/** A gallery entry; an album's images are checked one by one, so one malformed image does not drop the album. */
const entrySchema = z.discriminatedUnion("is_album", [
  z.object({
    is_album: z.literal(true),
    id: z.string(),
    title: z.string().nullish(),
    account_url: z.string().nullish(),
    nsfw: z.boolean().nullish(),
    images_count: z.number().int().nullish(),
    images: z.array(z.unknown()).nullish(),
  }),
  imageSchema.extend({ is_album: z.literal(false), account_url: z.string().nullish() }),
]);
type Entry = z.infer<typeof entrySchema>;

const responseSchema = z.object({ data: z.array(z.unknown()), success: z.boolean() });

function authorization(client: SourceClient) {
  return { Authorization: `Client-ID ${client.key}` };
}

/** An album's images: those the search listed, or all of them when it listed fewer than the album has. */
async function albumImages(
  client: SourceClient,
  album: Extract<Entry, { is_album: true }>,
): Promise<{ images: unknown[]; missing?: RecordOutcome }> {
  const listed = album.images ?? [];
  const count = album.images_count ?? listed.length;
  if (count <= listed.length) return { images: listed };
  const url = client.url(`/album/${encodeURIComponent(album.id)}/images`);
  const notListed = `${count - listed.length} more images of the album, not listed by the search:`;
  try {
    const body = responseSchema.safeParse(
      await client.json(url, { headers: authorization(client), gone: "the album's image list is gone" }),
      { reportInput: true },
    );
    if (body.success) return { images: body.data.data };
    return { images: listed, missing: drop(album.id, `${notListed} ${malformedRecord(null, body.error, undefined, "image list").reason}`) };
  } catch (error) {
    if (!(error instanceof RecordGone)) throw error;
    return { images: listed, missing: drop(album.id, `${notListed} ${error.reason}`) };
  }
}

function toItem(entry: Entry, image: Image, request: SearchRequest): SourceItem | RecordOutcome {
  if (request.safeSearch && image.nsfw) return drop(image.id, "marked nsfw (safe search is on)");
  const isVideo = image.type.startsWith("video/");
  const useMp4 = isVideo || (request.mediaTypes === "videos" && Boolean(image.animated) && Boolean(image.mp4));
  const mediaUrl = useMp4 ? (image.mp4 ?? image.link) : image.link;
  const stored = URL.canParse(mediaUrl) ? mediaTypeFromExtension(mediaUrl) : undefined;
  if (stored !== (useMp4 ? "video" : "image")) return drop(image.id, `a file of type ${image.type}, which Trawl does not store`);
  return {
    remoteId: image.id,
    mediaType: useMp4 ? "video" : "image",
    mediaUrl,
    pageUrl: `https://imgur.com/gallery/${encodeURIComponent(entry.id)}`,
    title: image.title?.trim() || entry.title?.trim() || undefined,
    author: entry.account_url ?? undefined,
  };
}

async function toItems(entry: Entry, client: SourceClient, request: SearchRequest): Promise<RecordResult> {
  if (request.safeSearch && entry.nsfw) return drop(entry.id, "marked nsfw (safe search is on)");
  if (!entry.is_album) return toItem(entry, entry, request);
  const { images, missing } = await albumImages(client, entry);
  const outcomes = images.map((raw): SourceItem | RecordOutcome => {
    const image = imageSchema.safeParse(raw, { reportInput: true });
    return image.success ? toItem(entry, image.data, request) : { dropped: malformedRecord(raw, image.error, recordId(raw), "image") };
  });
  if (missing) outcomes.push(missing);
  return outcomes.length > 0 ? outcomes : drop(entry.id, "an album without images");
}

export function createImgur(options: { id: string; name: string; apiUrl: string | (() => string) }): SourceAdapter {
  return defineApiSource({
    entry: {
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
    },
    apiUrl: options.apiUrl,
    query: "text",
    firstPage: 0,
    recordConcurrency: ALBUM_CONCURRENCY,
    async fetchPage({ client, query, page }) {
      const url = client.url(`/gallery/search/${SORT}/${WINDOW}/${page}`, { q: query });
      const data = client.parse(responseSchema, await client.json(url, { headers: authorization(client) }));
      // Imgur reports no totals: the next page is asked for until one comes back empty.
      return { records: data.data, next: page + 1 };
    },
    record: entrySchema,
    toItems: (entry, { client, request }) => toItems(entry, client, request),
  });
}
