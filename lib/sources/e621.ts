// Docs followed: e621 API notes (https://e621.net/help/api, as quoted by the rs621/xe621 crates), gallery-dl e621.py.
import { z } from "zod";
import { defineApiSource, drop, type RecordResult } from "@/lib/sources/api-source";
import { mediaTypeFromExtension } from "@/lib/sources/media-kinds";
import type { SearchRequest, SourceAdapter } from "@/lib/sources/types";

// e621 / e926 posts.json, searched by tags. e621 requires a descriptive User-Agent (browser
// and library defaults are blocked); the HTTP client sends the configured context.userAgent.
// e926 is the same site restricted to rating:s.
//
// The original (file.url) is downloaded, never sample.url or preview.url, with file.md5 and
// file.size to check it. Every post of a page that does not become an item is reported in
// SearchPage.dropped with why: a malformed record (the rest of the page is kept), no file URL
// (deleted, or hidden from anonymous users by the global blacklist), a format Trawl cannot store
// (swf flash), a rating safe search leaves out, a media type the job did not ask for.
// Tested on a recorded posts.json page (nullxception/boorusphere test/fixtures/e621/posts.json,
// see tests/fixtures/sources/e621-boorusphere-posts.provenance.md).

const PAGE_SIZE = 100;
/** e621 answers at most 750 pages of a tag search. */
const MAX_PAGE = 750;
const SAFE_RATING = "s";
/** Artist tags that are notes, not names. */
const NOT_ARTISTS = new Set([
  "conditional_dnp",
  "sound_warning",
  "epilepsy_warning",
  "unknown_artist",
  "anonymous_artist",
  "avoid_posting",
]);

const tagListSchema = z.array(z.string()).optional();

const postSchema = z.object({
  id: z.number().int(),
  rating: z.string(),
  file: z.object({
    ext: z.string().nullish(),
    md5: z.string().nullish(),
    size: z.number().nullish(),
    // null when the post is hidden from anonymous users (global blacklist, deleted files).
    url: z.string().nullable(),
  }),
  preview: z.object({ url: z.string().nullish() }).optional(),
  tags: z.object({ artist: tagListSchema, character: tagListSchema, copyright: tagListSchema }).optional(),
  flags: z.object({ deleted: z.boolean().nullish() }).nullish(),
});
type Post = z.infer<typeof postSchema>;

/** Posts are checked one by one, so one malformed record does not fail the page. */
const responseSchema = z.object({ posts: z.array(z.unknown()) });

function display(tags: readonly string[] | undefined, max = 3) {
  const list = (tags ?? []).slice(0, max);
  return list.length ? list.map((t) => t.replace(/_/g, " ")).join(", ") : undefined;
}

export interface E621Options {
  id: string;
  name: string;
  description: string;
  homepage: string;
  apiUrl: string | (() => string);
  /** The board serves rating:s only (e926), so safe search needs no extra tag. */
  sfwOnly?: boolean;
}

/** A post -> its item, or why it is left out (safe search, no storable file). */
function toItem(post: Post, request: SearchRequest, site: string): RecordResult {
  const remoteId = String(post.id);
  if (request.safeSearch && post.rating !== SAFE_RATING) {
    return drop(remoteId, `rated ${post.rating} (safe search keeps rating:${SAFE_RATING} only)`);
  }
  const mediaUrl = post.file.url;
  if (!mediaUrl) return drop(remoteId, post.flags?.deleted ? "deleted (no file URL)" : "no file URL (hidden from anonymous users)");
  if (!URL.canParse(mediaUrl)) return drop(remoteId, "a file URL that is not an absolute URL");
  const mediaType = mediaTypeFromExtension(mediaUrl);
  if (!mediaType) return drop(remoteId, `a ${post.file.ext ?? "typeless"} file, which Trawl cannot store`);
  return {
    remoteId,
    mediaType,
    mediaUrl,
    thumbnailUrl: post.preview?.url ?? undefined,
    pageUrl: `${site}/posts/${post.id}`,
    title: display(post.tags?.character) ?? display(post.tags?.copyright, 1),
    author: display(post.tags?.artist?.filter((tag) => !NOT_ARTISTS.has(tag))),
    ...(post.file.size ? { expectedBytes: post.file.size } : {}),
    ...(post.file.md5 ? { md5: post.file.md5 } : {}),
  };
}

export function createE621(options: E621Options): SourceAdapter {
  return defineApiSource({
    entry: {
      id: options.id,
      adapter: "e621",
      // Hard limit 2 requests/second (503 beyond); the API asks for at most 1/s sustained.
      politeness: { requestsPerSecond: 1, concurrency: 1 },
      name: options.name,
      description: options.description,
      homepage: options.homepage,
      category: "boorus",
      mediaTypes: ["image", "video"],
      input: "query",
      safeSearch: true,
    },
    apiUrl: options.apiUrl,
    query: "tags",
    firstPage: 1,
    maxPage: MAX_PAGE,
    async fetchPage({ client, request, tags, page }) {
      const safeTag = request.safeSearch && !options.sfwOnly ? [`rating:${SAFE_RATING}`] : [];
      const url = client.url("/posts.json", { tags: [...tags, ...safeTag].join(" "), limit: PAGE_SIZE, page });
      const { posts } = client.parse(responseSchema, await client.json(url));
      return { records: posts, next: posts.length >= PAGE_SIZE ? page + 1 : null, shared: client.base };
    },
    record: postSchema,
    toItems: (post, { request, shared: site }) => toItem(post, request, site),
  });
}
