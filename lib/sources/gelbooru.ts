// Docs followed: Gelbooru dapi help (https://gelbooru.com/index.php?page=help&topic=dapi), gallery-dl gelbooru_v02.py, mikf/gallery-dl#7674 (keys required).
import { z } from "zod";
import { mediaTypeFromExtension, wantsMediaType } from "@/lib/sources/media-kinds";
import { parsePositionCursor, nextPage, slicePage } from "@/lib/sources/position-cursor";
import { parseResponse, toSourceError } from "@/lib/sources/source-http";
import { SourceError } from "@/lib/sources/types";
import type { SearchPage, SearchRequest, SourceAdapter, SourceContext, SourceKeySpec } from "@/lib/sources/types";
import { malformedRecord, type RecordOutcome } from "@/lib/sources/records";

// Gelbooru-family boards (Gelbooru 0.2.x): index.php?page=dapi&s=post&q=index&json=1.
// Gelbooru 0.2.5 (gelbooru.com) wraps posts as {"@attributes": {...}, "post": [...]} and omits
// "post" when nothing matched; older 0.2.0 boards (safebooru.org) answer a bare array, and an
// empty body when nothing matched. Since June 2025 gelbooru.com answers 401 without an
// api_key + user_id pair.
//
// The original (file_url) is downloaded, never sample_url or preview_url, with the post's md5 to
// check it. No author is reported: "owner" is the uploader's account (often the "danbooru" import
// bot), and the flat tag string does not say which tags are artists. Every post of a page that
// does not become an item is reported in SearchPage.dropped with why: a malformed record (the rest
// of the page is kept), no file URL, a format Trawl cannot store (swf flash), a rating safe search
// leaves out, a media type the job did not ask for. Only the first visit of a page (no skip in
// the cursor) reports them.
// Tested on a recorded gelbooru.com page (nullxception/boorusphere test/fixtures/gelbooru/posts.json,
// see tests/fixtures/sources/gelbooru-boorusphere-posts.provenance.md). No recorded JSON answer
// of a Gelbooru 0.2.0 board (safebooru.org's bare array) was found; that shape is covered by the
// hand-written fixture only.

const PAGE_SIZE = 100;
/** Gelbooru refuses offsets past 20,000 posts ("Too deep! Pull it back some."). */
const MAX_OFFSET = 20_000;
const TOO_DEEP = /^Too deep!/;
const SAFE_RATINGS = new Set(["general", "safe", "g", "s"]);

const postSchema = z.object({
  id: z.number().int(),
  file_url: z.string().nullish(),
  md5: z.string().nullish(),
  preview_url: z.string().nullish(),
  rating: z.string().nullish(),
  title: z.string().nullish(),
});
type Post = z.infer<typeof postSchema>;

// Posts are checked one by one, so one malformed record does not fail the page.
/** Gelbooru 0.2.0 (safebooru.org). */
const arraySchema = z.array(z.unknown());
/** Gelbooru 0.2.5 (gelbooru.com); "post" is left out when nothing matched. */
const wrappedSchema = z.object({
  "@attributes": z.object({ count: z.number(), offset: z.number() }).loose(),
  post: z.array(z.unknown()).optional(),
});

function extensionOf(url: string) {
  return /\.([a-z0-9]+)$/i.exec(new URL(url).pathname)?.[1].toLowerCase();
}

/** A Gelbooru key, written "<user_id>:<api_key>" as shown under API Access Credentials. */
const KEY = /^(\d+):(\S+)$/;

export const GELBOORU_KEY: SourceKeySpec = {
  label: "Gelbooru user id and API key, as <user_id>:<api_key>",
  help: 'Log in at gelbooru.com, open My Account → Options (https://gelbooru.com/index.php?page=account&s=options) and copy "API Access Credentials" (&api_key=…&user_id=…); set the key as "<user_id>:<api_key>".',
};

export interface GelbooruOptions {
  id: string;
  name: string;
  description: string;
  homepage: string;
  apiUrl: string | (() => string);
  /** Tag added for safe search, e.g. "rating:general"; boards that are safe by policy need none. */
  safeSearchTag?: string;
  key?: SourceKeySpec;
}

function absolute(url: string | null | undefined) {
  if (!url) return undefined;
  return url.startsWith("//") ? `https:${url}` : url;
}

export function createGelbooru(options: GelbooruOptions): SourceAdapter {
  const { name } = options;
  const apiUrl = () => (typeof options.apiUrl === "function" ? options.apiUrl() : options.apiUrl).replace(/\/+$/, "");
  const lastPage = Math.floor(MAX_OFFSET / PAGE_SIZE) - 1;

  function credentials(context: SourceContext) {
    if (!options.key) return undefined;
    if (!context.key) throw new SourceError(`${name}: no API key configured`, undefined, false);
    const match = KEY.exec(context.key.trim());
    if (!match) throw new SourceError(`${name}: the key must be written "<user_id>:<api_key>"`, undefined, false);
    return { userId: match[1], apiKey: match[2] };
  }

  /** The posts of one page; [] at the end of results (empty body or past the offset limit). */
  async function fetchPosts(url: string, context: SourceContext): Promise<unknown[]> {
    let text: string;
    try {
      ({ text } = await context.http.getText(url, { headers: { accept: "application/json" } }));
    } catch (error) {
      const failure = toSourceError(name, error);
      if (options.key && failure instanceof SourceError && (failure.status === 401 || failure.status === 403)) {
        throw new SourceError(`${name}: API key rejected (${failure.status})`, failure.status, false);
      }
      throw failure;
    }
    const trimmed = text.trim();
    if (trimmed === "" || TOO_DEEP.test(trimmed)) return [];
    let json: unknown;
    try {
      json = JSON.parse(trimmed);
    } catch (error) {
      if (!(error instanceof SyntaxError)) throw error;
      // Worded like the HTTP client's own JSON failure, so every source reads the same.
      throw new SourceError(`${name}: malformed JSON from ${new URL(url).host}`);
    }
    return Array.isArray(json) ? parseResponse(name, arraySchema, json) : (parseResponse(name, wrappedSchema, json).post ?? []);
  }

  function toOutcome(raw: unknown, request: SearchRequest, site: string): RecordOutcome {
    const parsed = postSchema.safeParse(raw, { reportInput: true });
    if (!parsed.success) return { dropped: malformedRecord(raw, parsed.error) };
    const post: Post = parsed.data;
    const remoteId = String(post.id);
    if (request.safeSearch && !SAFE_RATINGS.has((post.rating ?? "").toLowerCase())) {
      return { dropped: { remoteId, reason: `rated ${post.rating || "nothing"} (safe search keeps general/safe only)` } };
    }
    const mediaUrl = absolute(post.file_url);
    if (!mediaUrl) return { dropped: { remoteId, reason: "no file URL" } };
    if (!URL.canParse(mediaUrl)) return { dropped: { remoteId, reason: "a file URL that is not an absolute URL" } };
    const mediaType = mediaTypeFromExtension(mediaUrl);
    if (!mediaType) return { dropped: { remoteId, reason: `a ${extensionOf(mediaUrl) ?? "typeless"} file, which Trawl cannot store` } };
    if (!wantsMediaType(request.mediaTypes, mediaType)) {
      return {
        dropped: {
          remoteId,
          reason: mediaType === "video" ? "a video (the job asks for images only)" : "an image (the job asks for videos only)",
        },
      };
    }
    return {
      item: {
        remoteId,
        mediaType,
        mediaUrl,
        thumbnailUrl: absolute(post.preview_url),
        pageUrl: `${site}/index.php?page=post&s=view&id=${post.id}`,
        title: post.title?.trim() || undefined,
        ...(post.md5 ? { md5: post.md5 } : {}),
      },
    };
  }

  /** The cursor is the next page index (pid, from 0), or "<pid>:<items already returned>". */
  async function search(request: SearchRequest, context: SourceContext): Promise<SearchPage> {
    const key = credentials(context);
    const tags = request.query.trim().split(/\s+/).filter(Boolean);
    if (tags.length === 0) throw new SourceError(`${name}: a search query (tags) is required`, undefined, false);
    const { index: pid, skip } = parsePositionCursor(name, request.cursor, 0);
    if (pid > lastPage) throw new SourceError(`${name}: invalid cursor "${request.cursor}"`, undefined, false);
    if (request.limit < 1) return { items: [], nextCursor: request.cursor };

    const site = apiUrl();
    const url = new URL(`${site}/index.php`);
    const params = url.searchParams;
    params.set("page", "dapi");
    params.set("s", "post");
    params.set("q", "index");
    params.set("json", "1");
    params.set("tags", [...tags, ...(request.safeSearch && options.safeSearchTag ? [options.safeSearchTag] : [])].join(" "));
    params.set("limit", String(PAGE_SIZE));
    params.set("pid", String(pid));
    if (key) {
      params.set("api_key", key.apiKey);
      params.set("user_id", key.userId);
    }
    const posts = await fetchPosts(url.href, context);

    const outcomes = posts.map((post) => toOutcome(post, request, site));
    const all = outcomes.flatMap((outcome) => ("item" in outcome ? [outcome.item] : []));
    // A page cut by the limit is fetched again with a skip: its drops were reported on the first visit.
    const dropped = skip === 0 ? outcomes.flatMap((outcome) => ("dropped" in outcome ? [outcome.dropped] : [])) : [];
    const result = slicePage(all, { index: pid, skip }, request.limit, nextPage(pid, posts.length >= PAGE_SIZE && pid < lastPage));
    return dropped.length > 0 ? { ...result, dropped } : result;
  }

  return {
    id: options.id,
    adapter: "gelbooru",
    // No published limit; stay gentle with these community-run servers.
    politeness: { requestsPerSecond: 1, concurrency: 1 },
    name,
    description: options.description,
    homepage: options.homepage,
    category: "boorus",
    mediaTypes: ["image", "video"],
    input: "query",
    safeSearch: true,
    ...(options.key ? { key: options.key } : {}),
    search,
  };
}
