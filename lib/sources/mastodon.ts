// Docs followed: Mastodon API, GET /api/v1/timelines/tag/:hashtag (https://docs.joinmastodon.org/methods/timelines/#tag) and the MediaAttachment entity.
import { load } from "cheerio";
import { z } from "zod";
import { defineApiSource, drop, type RecordResult } from "@/lib/sources/api-source";
import type { MediaType, SearchRequest, SourceAdapter } from "@/lib/sources/types";

// A Mastodon instance's public hashtag timeline (keyless unless the admin turned the public
// preview off, which answers 401/422). Full-text search needs a login, so the job's query
// becomes one hashtag: "#Red Fox" -> "RedFox". Each media attachment is one item: image, gifv
// (an MP4) and video. An attachment of type "unknown" is remote media the instance could not
// (yet) process; its url is the instance's media proxy, so remote_url (the original) is taken
// when its extension names an image or video format Trawl stores. Every status or attachment
// that yields no item is reported in SearchPage.dropped, with why (a status with no media, a
// sensitive status under safe search, audio, an unusable "unknown" file, the media type filter,
// a malformed status: the rest of the page is kept). A status with several attachments is
// handed back whole, so a call may return a few more items than its limit. Paging follows the
// Link header's "next": max_id = the oldest status of the page.
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
type Attachment = z.infer<typeof attachmentSchema>;

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

/** Statuses are checked one by one, so one malformed status does not fail the page. */
const responseSchema = z.array(z.unknown());

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

/** An attachment's file and media type, or why it has none Trawl can store. */
function fileOf(attachment: Attachment): { type: MediaType; url: string } | string {
  if (attachment.type === "unknown") {
    const ext = extensionOf(attachment.remote_url);
    const type = ext ? EXTENSION_TYPES[ext] : undefined;
    if (!type || !attachment.remote_url) {
      return `an attachment the instance could not process (${ext ? `a .${ext} file, which Trawl cannot store` : "of unknown format"})`;
    }
    return { type, url: attachment.remote_url };
  }
  const type = MEDIA_TYPES[attachment.type] as MediaType | undefined;
  if (!type) return attachment.type === "audio" ? "audio, which Trawl does not collect" : `an attachment of type "${attachment.type}"`;
  const url = attachment.url || attachment.remote_url;
  return url ? { type, url } : "no file URL";
}

/** A status -> one item per attachment, or why (for the status, or for each attachment) there is none. */
function toItems(status: Status, request: SearchRequest): RecordResult {
  if (request.safeSearch && status.sensitive) return drop(status.id, "marked sensitive (safe search is on)");
  if (status.media_attachments.length === 0) return drop(status.id, "no media attachments");
  const { account } = status;
  return status.media_attachments.map((attachment) => {
    const file = fileOf(attachment);
    if (typeof file === "string") return drop(attachment.id, file);
    return {
      remoteId: attachment.id,
      mediaType: file.type,
      mediaUrl: file.url,
      thumbnailUrl: attachment.preview_url ?? undefined,
      pageUrl: status.url ?? status.uri,
      title: attachment.description?.trim() || plainText(status.content),
      author: account.display_name?.trim() || account.acct,
    };
  });
}

export interface MastodonOptions {
  id: string;
  name: string;
  description: string;
  homepage: string;
  apiUrl: string | (() => string);
}

export function createMastodon(options: MastodonOptions): SourceAdapter {
  return defineApiSource({
    entry: {
      id: options.id,
      adapter: "mastodon",
      // Mastodon allows 300 requests per 5 minutes per address for most API calls.
      politeness: { requestsPerSecond: 1, concurrency: 1 },
      name: options.name,
      description: options.description,
      homepage: options.homepage,
      category: "social",
      mediaTypes: ["image", "video"],
      input: "query",
      // Statuses marked sensitive are dropped under safe search.
      safeSearch: true,
    },
    apiUrl: options.apiUrl,
    query: "text",
    // The page is the max_id token ("" for the newest statuses).
    firstPage: "",
    async fetchPage({ client, query, page: maxId }) {
      const hashtag = hashtagOf(query);
      if (!hashtag) client.refuse("the query must name a hashtag (letters, digits or _)");
      const url = client.url(`/api/v1/timelines/tag/${encodeURIComponent(hashtag)}`, {
        limit: PAGE_SIZE,
        only_media: "true",
        max_id: maxId || undefined,
      });
      const statuses = client.parse(responseSchema, await client.json(url));
      // A short page is the last; else the next page is older than this one's oldest status.
      const oldest = statuses.at(-1) as { id?: unknown } | undefined;
      const next = statuses.length >= PAGE_SIZE && typeof oldest?.id === "string" && oldest.id ? oldest.id : null;
      return { records: statuses, next };
    },
    record: statusSchema,
    toItems: (status, { request }) => toItems(status, request),
  });
}
