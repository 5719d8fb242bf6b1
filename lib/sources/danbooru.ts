// Docs followed: Danbooru help:api (https://danbooru.donmai.us/wiki_pages/help:api), gallery-dl danbooru.py, danbooru app/logical/post_query.rb.
import { z } from "zod";
import { mediaTypeFromExtension, wantsMediaType } from "@/lib/sources/media-kinds";
import { parsePositionCursor, nextPage, slicePage } from "@/lib/sources/position-cursor";
import { fetchJson, parseResponse } from "@/lib/sources/source-http";
import { SourceError } from "@/lib/sources/types";
import type { MediaType, SearchPage, SearchRequest, SourceAdapter, SourceContext } from "@/lib/sources/types";
import { malformedRecord, type RecordOutcome } from "@/lib/sources/records";

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

function extensionOf(url: string) {
  return /\.([a-z0-9]+)$/i.exec(new URL(url).pathname)?.[1].toLowerCase();
}

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

export function createDanbooru(options: { id: string; name: string; apiUrl: string | (() => string) }): SourceAdapter {
  const { name } = options;
  const apiUrl = () => (typeof options.apiUrl === "function" ? options.apiUrl() : options.apiUrl).replace(/\/+$/, "");

  function toOutcome(raw: unknown, request: SearchRequest, site: string): RecordOutcome {
    const parsed = postSchema.safeParse(raw, { reportInput: true });
    if (!parsed.success) return { dropped: malformedRecord(raw, parsed.error) };
    const post = parsed.data;
    const remoteId = String(post.id);
    if (request.safeSearch && post.rating !== SAFE_RATING) {
      return { dropped: { remoteId, reason: `rated ${post.rating ?? "nothing"} (safe search keeps rating:${SAFE_RATING} only)` } };
    }
    const file = fileOf(post);
    if (typeof file === "string") return { dropped: { remoteId, reason: file } };
    if (!wantsMediaType(request.mediaTypes, file.type)) {
      return {
        dropped: {
          remoteId,
          reason: file.type === "video" ? "a video (the job asks for images only)" : "an image (the job asks for videos only)",
        },
      };
    }
    return {
      item: {
        remoteId,
        mediaType: file.type,
        mediaUrl: file.url,
        thumbnailUrl: post.preview_file_url ?? undefined,
        pageUrl: `${site}/posts/${post.id}`,
        title: tagList(post.tag_string_character) ?? tagList(post.tag_string_copyright, 1),
        author: tagList(post.tag_string_artist),
        ...(file.original && post.file_size ? { expectedBytes: post.file_size } : {}),
        ...(file.original && post.md5 ? { md5: post.md5 } : {}),
      },
    };
  }

  /** The cursor is the next page number, or "<page>:<items already returned>" when the limit cut a page. */
  async function search(request: SearchRequest, context: SourceContext): Promise<SearchPage> {
    const tags = request.query.trim().split(/\s+/).filter(Boolean);
    if (tags.length === 0) throw new SourceError(`${name}: a search query (tags) is required`, undefined, false);
    const counted = countedTags(tags);
    if (counted.length > ANONYMOUS_TAG_LIMIT) {
      throw new SourceError(
        `${name}: anonymous searches are limited to ${ANONYMOUS_TAG_LIMIT} tags, got ${counted.length} (${counted.join(" ")})`,
        undefined,
        false,
      );
    }
    const { index: page, skip } = parsePositionCursor(name, request.cursor, 1);
    if (page < 1 || page > MAX_PAGE) throw new SourceError(`${name}: invalid cursor "${request.cursor}"`, undefined, false);
    if (request.limit < 1) return { items: [], nextCursor: request.cursor };

    const site = apiUrl();
    const url = new URL(`${site}/posts.json`);
    url.searchParams.set("tags", [...tags, ...(request.safeSearch ? [`rating:${SAFE_RATING}`] : [])].join(" "));
    url.searchParams.set("limit", String(PAGE_SIZE));
    url.searchParams.set("page", String(page));
    const posts = parseResponse(name, responseSchema, await fetchJson(name, context.http, url.href));

    const outcomes = posts.map((post) => toOutcome(post, request, site));
    const all = outcomes.flatMap((outcome) => ("item" in outcome ? [outcome.item] : []));
    // A page cut by the limit is fetched again with a skip: its drops were reported on the first visit.
    const dropped = skip === 0 ? outcomes.flatMap((outcome) => ("dropped" in outcome ? [outcome.dropped] : [])) : [];
    const result = slicePage(all, { index: page, skip }, request.limit, nextPage(page, posts.length >= PAGE_SIZE && page < MAX_PAGE));
    return dropped.length > 0 ? { ...result, dropped } : result;
  }

  return {
    id: options.id,
    adapter: "danbooru",
    // No published read limit for anonymous users; gallery-dl waits 0.5–1.5 s between calls.
    politeness: { requestsPerSecond: 1, concurrency: 1 },
    name,
    description: "Anime-style art board searched by tags (anonymous: at most 2 tags); includes mature content unless safe search is on.",
    homepage: "https://danbooru.donmai.us/",
    category: "boorus",
    mediaTypes: ["image", "video"],
    input: "query",
    safeSearch: true,
    search,
  };
}
