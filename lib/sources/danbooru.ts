// Docs followed: Danbooru help:api (https://danbooru.donmai.us/wiki_pages/help:api), gallery-dl danbooru.py, danbooru app/logical/post_query.rb.
import { z } from "zod";
import { defineApiSource, drop, type RecordResult } from "@/lib/sources/api-source";
import { extensionOf, mediaTypeFromExtension } from "@/lib/sources/media-kinds";
import type { MediaType, SearchRequest, SourceAdapter } from "@/lib/sources/types";

// Danbooru's posts.json: the query is a space-separated tag search. Anonymous users may search
// at most 2 tags at once; metatags such as rating: do not count against that limit (Danbooru's
// UNLIMITED_METATAGS), so the rating:g that safe search adds never uses up one of the two.
//
// The original (file_url) is downloaded, never the sample (large_file_url) or the thumbnail, with
// the post's md5 and file_size to check it; an ugoira (a zip of frames) is downloaded as its webm
// rendition (large_file_url). Every post of a page that does not become an item is reported in
// SearchPage.dropped with why: a malformed record (the rest of the page is kept), no file URL
// (hidden from anonymous users), a format Trawl cannot store (swf, an ugoira without webm), a
// rating safe search leaves out, a media type the job did not ask for. Only the first visit of a
// page (no skip in the cursor) reports them.
// Tested on a recorded posts.json page (nullxception/boorusphere test/fixtures/danbooru/posts.json,
// see tests/fixtures/sources/danbooru-boorusphere-posts.provenance.md).

const PAGE_SIZE = 100;
/** Danbooru refuses page numbers above 1000 for ordinary accounts. */
const MAX_PAGE = 1000;
const ANONYMOUS_TAG_LIMIT = 2;
const SAFE_RATING = "g";

/** Metatags that do not count against the tag limit (post_query.rb, UNLIMITED_METATAGS). */
const UNLIMITED_METATAGS = new Set([
  "status",
  "rating",
  "limit",
  "is",
  "id",
  "date",
  "age",
  "filesize",
  "filetype",
  "parent",
  "child",
  "md5",
  "width",
  "height",
  "duration",
  "mpixels",
  "ratio",
  "score",
  "upvote",
  "downvotes",
  "favcount",
  "embedded",
  "tagcount",
  "pixiv_id",
  "pixiv",
]);

const postSchema = z.object({
  id: z.number().int(),
  rating: z.string().nullish(),
  file_ext: z.string().nullish(),
  // Missing for posts hidden from anonymous users (banned artists, gold-only posts).
  file_url: z.string().nullish(),
  md5: z.string().nullish(),
  file_size: z.number().nullish(),
  large_file_url: z.string().nullish(),
  preview_file_url: z.string().nullish(),
  tag_string_artist: z.string().nullish(),
  tag_string_character: z.string().nullish(),
  tag_string_copyright: z.string().nullish(),
});
type Post = z.infer<typeof postSchema>;

/** Posts are checked one by one, so one malformed record does not fail the page. */
const responseSchema = z.array(z.unknown());

/** The tags of a search that count against Danbooru's tag limit. */
export function countedTags(tags: readonly string[]) {
  return tags.filter((tag) => {
    const match = /^-?([a-z_]+):./i.exec(tag);
    return !match || !UNLIMITED_METATAGS.has(match[1].toLowerCase());
  });
}

/** "hatsune_miku kagamine_rin" -> "hatsune miku, kagamine rin" (at most `max` tags). */
function tagList(tagString: string | null | undefined, max = 3) {
  const tags = (tagString ?? "").split(/\s+/).filter(Boolean).slice(0, max);
  return tags.length ? tags.map((t) => t.replace(/_/g, " ")).join(", ") : undefined;
}

/** The direct file of a post (original says whether md5 and file_size describe it), or why it has none Trawl can store. */
function fileOf(post: Post): { url: string; type: MediaType; original: boolean } | string {
  if (!post.file_url) return "no file URL (hidden from anonymous users, or deleted)";
  if (!URL.canParse(post.file_url)) return "a file URL that is not an absolute URL";
  // Ugoira animations are zip archives of frames; Danbooru serves a webm rendition as large_file_url.
  if (post.file_ext === "zip") {
    const sample = post.large_file_url;
    return sample && URL.canParse(sample) && mediaTypeFromExtension(sample) === "video"
      ? { url: sample, type: "video", original: false }
      : "an ugoira zip without a webm rendition, which Trawl cannot store";
  }
  const type = mediaTypeFromExtension(post.file_url);
  return type
    ? { url: post.file_url, type, original: true }
    : `a ${post.file_ext ?? extensionOf(post.file_url) ?? "typeless"} file, which Trawl cannot store`;
}

/** A post -> its item, or why it is left out (safe search, no storable file). */
function toItem(post: Post, request: SearchRequest, site: string): RecordResult {
  const remoteId = String(post.id);
  if (request.safeSearch && post.rating !== SAFE_RATING) {
    return drop(remoteId, `rated ${post.rating ?? "nothing"} (safe search keeps rating:${SAFE_RATING} only)`);
  }
  const file = fileOf(post);
  if (typeof file === "string") return drop(remoteId, file);
  return {
    remoteId,
    mediaType: file.type,
    mediaUrl: file.url,
    thumbnailUrl: post.preview_file_url ?? undefined,
    pageUrl: `${site}/posts/${post.id}`,
    title: tagList(post.tag_string_character) ?? tagList(post.tag_string_copyright, 1),
    author: tagList(post.tag_string_artist),
    ...(file.original && post.file_size ? { expectedBytes: post.file_size } : {}),
    ...(file.original && post.md5 ? { md5: post.md5 } : {}),
  };
}

export function createDanbooru(options: { id: string; name: string; apiUrl: string | (() => string) }): SourceAdapter {
  return defineApiSource({
    entry: {
      id: options.id,
      adapter: "danbooru",
      // No published read limit for anonymous users; gallery-dl waits 0.5–1.5 s between calls.
      politeness: { requestsPerSecond: 1, concurrency: 1 },
      name: options.name,
      description: "Anime-style art board searched by tags (anonymous: at most 2 tags); includes mature content unless safe search is on.",
      homepage: "https://danbooru.donmai.us/",
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
      const counted = countedTags(tags);
      if (counted.length > ANONYMOUS_TAG_LIMIT) {
        client.refuse(`anonymous searches are limited to ${ANONYMOUS_TAG_LIMIT} tags, got ${counted.length} (${counted.join(" ")})`);
      }
      const url = client.url("/posts.json", {
        tags: [...tags, ...(request.safeSearch ? [`rating:${SAFE_RATING}`] : [])].join(" "),
        limit: PAGE_SIZE,
        page,
      });
      const records = client.parse(responseSchema, await client.json(url));
      return { records, next: records.length >= PAGE_SIZE ? page + 1 : null, shared: client.base };
    },
    record: postSchema,
    toItems: (post, { request, shared: site }) => toItem(post, request, site),
  });
}
