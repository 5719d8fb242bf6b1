// Docs followed: Mastodon API, GET /api/v1/timelines/tag/:hashtag (https://docs.joinmastodon.org/methods/timelines/#tag) and the MediaAttachment entity.
import { load } from "cheerio";
import { z } from "zod";
import { fetchJson, parseResponse } from "@/lib/sources/source-http";
import { SourceError } from "@/lib/sources/types";
import type { DroppedRecord, MediaType, SearchPage, SearchRequest, SourceAdapter, SourceContext, SourceItem } from "@/lib/sources/types";

// A Mastodon instance's public hashtag timeline (keyless unless the admin turned the public
// preview off, which answers 401/422). Full-text search needs a login, so the job's query
// becomes one hashtag: "#Red Fox" -> "RedFox". Each media attachment is one item: image, gifv
// (an MP4) and video. An attachment of type "unknown" is remote media the instance could not
// (yet) process; its url is the instance's media proxy, so remote_url (the original) is taken
// when its extension names an image or video format Trawl stores. Every status or attachment
// that yields no item is reported in SearchPage.dropped, with why (a status with no media, a
// sensitive status under safe search, audio, an unusable "unknown" file, the media type filter).
//
// Proven on a real recorded response: mastodon.social's public timeline (the same Status
// entities as the tag timeline), recorded by tootkit's tests in 2020; see
// tests/fixtures/sources/mastodon-recorded-public-2020.provenance.md. No recorded tag timeline
// or search response with media attachments was found (Mastodon.py's cassettes have none).

/** The API's maximum for timelines. */
const PAGE_SIZE = 40;
const TITLE_LENGTH = 120;

const attachmentSchema = z.object({
  id: z.string(),
  type: z.string(),
  // null for remote media the instance has not cached; remote_url is the original then.
  url: z.string().nullish(),
  remote_url: z.string().nullish(),
  preview_url: z.string().nullish(),
  description: z.string().nullish(),
});

const statusSchema = z.object({
  id: z.string().min(1),
  uri: z.string(),
  url: z.string().nullish(),
  sensitive: z.boolean(),
  content: z.string(),
  account: z.object({ acct: z.string(), display_name: z.string().nullish() }),
  media_attachments: z.array(attachmentSchema),
});
type Status = z.infer<typeof statusSchema>;

const responseSchema = z.array(statusSchema);

const MEDIA_TYPES: Record<string, MediaType> = { image: "image", gifv: "video", video: "video" };

/** What an "unknown" attachment's remote file is, by its extension (the download is sniffed anyway). */
const EXTENSION_TYPES: Record<string, MediaType> = {
  jpg: "image",
  jpeg: "image",
  png: "image",
  gif: "image",
  webp: "image",
  avif: "image",
  mp4: "video",
  m4v: "video",
  webm: "video",
  mov: "video",
};

function extensionOf(url: string | null | undefined): string | undefined {
  if (!url || !URL.canParse(url)) return undefined;
  return /\.([a-z0-9]{2,5})$/i.exec(new URL(url).pathname)?.[1]?.toLowerCase();
}

/** "max_id", or "max_id:skip" when the limit cut a page ("" for max_id on the first page). */
const CURSOR = /^([0-9A-Za-z]{0,40})(?::(\d{1,9}))?$/;

interface Cursor {
  maxId: string | null;
  skip: number;
}

function parseCursor(name: string, cursor: string | null): Cursor {
  if (cursor === null) return { maxId: null, skip: 0 };
  const match = CURSOR.exec(cursor);
  if (!match || (match[1] === "" && match[2] === undefined)) throw new SourceError(`${name}: invalid cursor "${cursor}"`, undefined, false);
  return { maxId: match[1] || null, skip: match[2] === undefined ? 0 : Number(match[2]) };
}

function formatCursor({ maxId, skip }: Cursor) {
  return skip === 0 && maxId ? maxId : `${maxId ?? ""}:${skip}`;
}

/** The hashtag a query stands for: letters, digits and underscores only. */
export function hashtagOf(query: string) {
  return query.replace(/[^\p{L}\p{M}\p{N}_]/gu, "");
}

/** Status HTML as one line of text: line and paragraph breaks become spaces. */
function plainText(html: string) {
  const text = load(html.replace(/<br\s*\/?>|<\/p>/gi, " "), null, false)
    .text()
    .replace(/\s+/g, " ")
    .trim();
  if (!text) return undefined;
  return text.length > TITLE_LENGTH ? `${text.slice(0, TITLE_LENGTH - 1)}…` : text;
}

export interface MastodonOptions {
  id: string;
  name: string;
  description: string;
  homepage: string;
  apiUrl: string | (() => string);
}

export function createMastodon(options: MastodonOptions): SourceAdapter {
  const { name } = options;
  const apiUrl = () => (typeof options.apiUrl === "function" ? options.apiUrl() : options.apiUrl).replace(/\/+$/, "");

  function toItems(status: Status, request: SearchRequest): { items: SourceItem[]; dropped: DroppedRecord[] } {
    const dropped: DroppedRecord[] = [];
    if (request.safeSearch && status.sensitive) {
      return { items: [], dropped: [{ remoteId: status.id, reason: "marked sensitive (safe search is on)" }] };
    }
    if (status.media_attachments.length === 0) return { items: [], dropped: [{ remoteId: status.id, reason: "no media attachments" }] };
    const account = status.account;
    const items = status.media_attachments.flatMap((attachment): SourceItem[] => {
      const drop = (reason: string) => (dropped.push({ remoteId: attachment.id, reason }), []);
      let mediaType: MediaType | undefined = MEDIA_TYPES[attachment.type];
      let mediaUrl = attachment.url || attachment.remote_url;
      if (attachment.type === "unknown") {
        const ext = extensionOf(attachment.remote_url);
        mediaType = ext ? EXTENSION_TYPES[ext] : undefined;
        if (!mediaType) {
          return drop(
            `an attachment the instance could not process (${ext ? `a .${ext} file, which Trawl cannot store` : "of unknown format"})`,
          );
        }
        mediaUrl = attachment.remote_url;
      }
      if (!mediaType) {
        return drop(attachment.type === "audio" ? "audio, which Trawl does not collect" : `an attachment of type "${attachment.type}"`);
      }
      if (!mediaUrl) return drop("no file URL");
      if (request.mediaTypes === "images" && mediaType !== "image") return drop("a video (the job asks for images only)");
      if (request.mediaTypes === "videos" && mediaType !== "video") return drop("an image (the job asks for videos only)");
      return [
        {
          remoteId: attachment.id,
          mediaType,
          mediaUrl,
          thumbnailUrl: attachment.preview_url ?? undefined,
          pageUrl: status.url ?? status.uri,
          title: attachment.description?.trim() || plainText(status.content),
          author: account.display_name?.trim() || account.acct,
        },
      ];
    });
    return { items, dropped };
  }

  async function search(request: SearchRequest, context: SourceContext): Promise<SearchPage> {
    const hashtag = hashtagOf(request.query);
    if (!hashtag) throw new SourceError(`${name}: the query must name a hashtag (letters, digits or _)`, undefined, false);
    const cursor = parseCursor(name, request.cursor);
    if (request.limit < 1) return { items: [], nextCursor: request.cursor };

    const url = new URL(`${apiUrl()}/api/v1/timelines/tag/${encodeURIComponent(hashtag)}`);
    url.searchParams.set("limit", String(PAGE_SIZE));
    url.searchParams.set("only_media", "true");
    if (cursor.maxId) url.searchParams.set("max_id", cursor.maxId);
    const statuses = parseResponse(name, responseSchema, await fetchJson(name, context.http, url.href));

    const mapped = statuses.map((status) => toItems(status, request));
    const all = mapped.flatMap((status) => status.items);
    const end = cursor.skip + request.limit;
    const items = all.slice(cursor.skip, end);
    // The Link header's "next" is max_id = the oldest status returned; a short page is the last.
    const last = statuses.at(-1);
    const nextCursor =
      end < all.length
        ? formatCursor({ maxId: cursor.maxId, skip: end })
        : statuses.length >= PAGE_SIZE && last
          ? formatCursor({ maxId: last.id, skip: 0 })
          : null;
    // A page cut by the limit is fetched again with a skip: its drops were reported on the first visit.
    const dropped = cursor.skip === 0 ? mapped.flatMap((status) => status.dropped) : [];
    return { items, nextCursor, dropped };
  }

  return {
    id: options.id,
    adapter: "mastodon",
    // Mastodon allows 300 requests per 5 minutes per address for most API calls.
    politeness: { requestsPerSecond: 1, concurrency: 1 },
    name,
    description: options.description,
    homepage: options.homepage,
    category: "social",
    mediaTypes: ["image", "video"],
    input: "query",
    // Statuses marked sensitive are dropped under safe search.
    safeSearch: true,
    search,
  };
}
