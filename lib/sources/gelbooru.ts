// Docs followed: Gelbooru dapi help (https://gelbooru.com/index.php?page=help&topic=dapi), gallery-dl gelbooru_v02.py, mikf/gallery-dl#7674 (keys required).
import { z } from "zod";
import { defineApiSource, drop, type SourceEntry } from "@/lib/sources/api-source";
import { extensionOf, mediaTypeFromExtension } from "@/lib/sources/media-kinds";
import type { SourceClient } from "@/lib/sources/source-client";
import { SourceError, type SearchRequest, type SourceAdapter, type SourceKeySpec } from "@/lib/sources/types";

// Gelbooru-family boards (Gelbooru 0.2.x): index.php?page=dapi&s=post&q=index&json=1.
// Gelbooru 0.2.5 (gelbooru.com) wraps posts as {"@attributes": {...}, "post": [...]} and omits
// "post" when nothing matched; older 0.2.0 boards (safebooru.org) answer a bare array, and an
// empty body when nothing matched. Since June 2025 gelbooru.com answers 401 without an
// api_key + user_id pair.
//
// The original (file_url) is downloaded, never sample_url or preview_url, with the post's md5 to
// check it. Safebooru's JSON had no file_url (nor preview_url) until about 2024: a post without
// file_url but with directory and image is downloaded from /images/<directory>/<image>, where
// the board serves its originals. Safebooru's "hash" is not used as the md5 (no recorded file
// proves it is the file's), so its downloads are not checked against one. No author is
// reported: "owner" is the uploader's account (often the "danbooru" import bot), and the flat
// tag string does not say which tags are artists. Every post of a page that does not become an
// item is reported in SearchPage.dropped with why: a malformed record (the rest of the page is
// kept), no file URL, a format Trawl cannot store (swf flash), a rating safe search leaves out,
// a media type the job did not ask for.
// Tested on recorded answers: a gelbooru.com page (nullxception/boorusphere
// test/fixtures/gelbooru/posts.json, see tests/fixtures/sources/gelbooru-boorusphere-posts.provenance.md),
// and two safebooru.org bare arrays, one of 2025 with file_url (Rexcrazy804/booru.hs
// test/RequestSpec.hs, see tests/fixtures/sources/gelbooru-safebooru-booruhs-post.provenance.md) and
// one of 2023 without it (Apkawa/booru-rs tests/fixtures/gelbooru_v0.2/post_id.json, see
// tests/fixtures/sources/gelbooru-safebooru-boorurs-post.provenance.md).

const PAGE_SIZE = 100;
/** Gelbooru refuses offsets past 20,000 posts ("Too deep! Pull it back some."). */
const LAST_PID = 20_000 / PAGE_SIZE - 1;
const TOO_DEEP = /^Too deep!/;
const SAFE_RATINGS = new Set(["general", "safe", "g", "s"]);

const postSchema = z.object({
  id: z.number().int(),
  file_url: z.string().nullish(),
  /** Gelbooru 0.2.0 boards (safebooru.org until about 2024) give the file as directory + image only. */
  directory: z.union([z.string(), z.number()]).nullish(),
  image: z.string().nullish(),
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

/** The original's URL: file_url, else (Gelbooru 0.2.0) the board's /images/<directory>/<image>. */
function fileUrlOf(post: Post, site: string) {
  if (post.file_url) return absolute(post.file_url);
  if (post.directory != null && post.directory !== "" && post.image) return `${site}/images/${post.directory}/${post.image}`;
  return undefined;
}

/** A post -> its item, or why it is left out (safe search, no storable file). */
function toItem(post: Post, request: SearchRequest, site: string) {
  const remoteId = String(post.id);
  if (request.safeSearch && !SAFE_RATINGS.has((post.rating ?? "").toLowerCase())) {
    return drop(remoteId, `rated ${post.rating || "nothing"} (safe search keeps general/safe only)`);
  }
  const mediaUrl = fileUrlOf(post, site);
  if (!mediaUrl) return drop(remoteId, "no file URL");
  if (!URL.canParse(mediaUrl)) return drop(remoteId, "a file URL that is not an absolute URL");
  const mediaType = mediaTypeFromExtension(mediaUrl);
  if (!mediaType) return drop(remoteId, `a ${extensionOf(mediaUrl) ?? "typeless"} file, which Trawl cannot store`);
  return {
    remoteId,
    mediaType,
    mediaUrl,
    thumbnailUrl: absolute(post.preview_url),
    pageUrl: `${site}/index.php?page=post&s=view&id=${post.id}`,
    title: post.title?.trim() || undefined,
    ...(post.md5 ? { md5: post.md5 } : {}),
  };
}

/**
 * The posts of one dapi page; [] at the end of results (an empty body, or the too-deep answer).
 * Read as text: a 0.2.0 board answers an empty body, not JSON, when nothing matched.
 */
async function fetchPosts(client: SourceClient, url: URL): Promise<unknown[]> {
  const { text } = await client.text(url, { headers: { accept: "application/json" } });
  const trimmed = text.trim();
  if (trimmed === "" || TOO_DEEP.test(trimmed)) return [];
  let json: unknown;
  try {
    json = JSON.parse(trimmed);
  } catch (error) {
    if (!(error instanceof SyntaxError)) throw error;
    // Worded like the HTTP client's own JSON failure, so every source reads the same.
    throw new SourceError(`${client.name}: malformed JSON from ${url.host}`);
  }
  return Array.isArray(json) ? client.parse(arraySchema, json) : (client.parse(wrappedSchema, json).post ?? []);
}

export function createGelbooru(options: GelbooruOptions): SourceAdapter {
  const entry: SourceEntry = {
    id: options.id,
    adapter: "gelbooru",
    // No published limit; stay gentle with these community-run servers.
    politeness: { requestsPerSecond: 1, concurrency: 1 },
    name: options.name,
    description: options.description,
    homepage: options.homepage,
    category: "boorus",
    mediaTypes: ["image", "video"],
    input: "query",
    safeSearch: true,
    ...(options.key ? { key: options.key } : {}),
  };

  return defineApiSource({
    entry,
    apiUrl: options.apiUrl,
    query: "tags",
    firstPage: 0,
    maxPage: LAST_PID,
    async fetchPage({ client, request, tags, page: pid }) {
      let credentials: { api_key: string; user_id: string } | undefined;
      if (client.key !== undefined) {
        const match = KEY.exec(client.key);
        if (!match) return client.refuse('the key must be written "<user_id>:<api_key>"');
        credentials = { api_key: match[2], user_id: match[1] };
      }
      const url = client.url("/index.php", {
        page: "dapi",
        s: "post",
        q: "index",
        json: 1,
        tags: [...tags, ...(request.safeSearch && options.safeSearchTag ? [options.safeSearchTag] : [])].join(" "),
        limit: PAGE_SIZE,
        pid,
        ...credentials,
      });
      const records = await fetchPosts(client, url);
      return { records, next: records.length >= PAGE_SIZE ? pid + 1 : null, shared: client.base };
    },
    record: postSchema,
    toItems: (post, { request, shared: site }) => toItem(post, request, site),
  });
}
