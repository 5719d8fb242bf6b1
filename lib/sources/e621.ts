// Docs followed: e621 API notes (https://e621.net/help/api, as quoted by the rs621/xe621 crates), gallery-dl e621.py.
import { z } from "zod";
import { mediaTypeFromExtension, wantsMediaType } from "@/lib/sources/media-kinds";
import { parsePositionCursor, nextPage, slicePage } from "@/lib/sources/position-cursor";
import { fetchJson, parseResponse } from "@/lib/sources/source-http";
import { SourceError, type SearchPage, type SearchRequest, type SourceAdapter, type SourceContext } from "@/lib/sources/types";
import { malformedRecord, type RecordOutcome } from "@/lib/sources/records";

// e621 / e926 posts.json, searched by tags. e621 requires a descriptive User-Agent (browser
// and library defaults are blocked); the HTTP client sends the configured context.userAgent.
// e926 is the same site restricted to rating:s.
//
// The original (file.url) is downloaded, never sample.url or preview.url, with file.md5 and
// file.size to check it. Every post of a page that does not become an item is reported in
// SearchPage.dropped with why: a malformed record (the rest of the page is kept), no file URL
// (deleted, or hidden from anonymous users by the global blacklist), a format Trawl cannot store
// (swf flash), a rating safe search leaves out, a media type the job did not ask for. Only the
// first visit of a page (no skip in the cursor) reports them.
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

export function createE621(options: E621Options): SourceAdapter {
  const { name } = options;
  const apiUrl = () => (typeof options.apiUrl === "function" ? options.apiUrl() : options.apiUrl).replace(/\/+$/, "");

  function toOutcome(raw: unknown, request: SearchRequest, site: string): RecordOutcome {
    const parsed = postSchema.safeParse(raw, { reportInput: true });
    if (!parsed.success) return { dropped: malformedRecord(raw, parsed.error) };
    const post: Post = parsed.data;
    const remoteId = String(post.id);
    if (request.safeSearch && post.rating !== SAFE_RATING) {
      return { dropped: { remoteId, reason: `rated ${post.rating} (safe search keeps rating:${SAFE_RATING} only)` } };
    }
    const mediaUrl = post.file.url;
    if (!mediaUrl) {
      const reason = post.flags?.deleted ? "deleted (no file URL)" : "no file URL (hidden from anonymous users)";
      return { dropped: { remoteId, reason } };
    }
    if (!URL.canParse(mediaUrl)) return { dropped: { remoteId, reason: "a file URL that is not an absolute URL" } };
    const mediaType = mediaTypeFromExtension(mediaUrl);
    if (!mediaType) return { dropped: { remoteId, reason: `a ${post.file.ext ?? "typeless"} file, which Trawl cannot store` } };
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
        thumbnailUrl: post.preview?.url ?? undefined,
        pageUrl: `${site}/posts/${post.id}`,
        title: display(post.tags?.character) ?? display(post.tags?.copyright, 1),
        author: display(post.tags?.artist?.filter((tag) => !NOT_ARTISTS.has(tag))),
        ...(post.file.size ? { expectedBytes: post.file.size } : {}),
        ...(post.file.md5 ? { md5: post.file.md5 } : {}),
      },
    };
  }

  /** The cursor is the next page number, or "<page>:<items already returned>" when the limit cut a page. */
  async function search(request: SearchRequest, context: SourceContext): Promise<SearchPage> {
    const tags = request.query.trim().split(/\s+/).filter(Boolean);
    if (tags.length === 0) throw new SourceError(`${name}: a search query (tags) is required`, undefined, false);
    const { index: page, skip } = parsePositionCursor(name, request.cursor, 1);
    if (page < 1 || page > MAX_PAGE) throw new SourceError(`${name}: invalid cursor "${request.cursor}"`, undefined, false);
    if (request.limit < 1) return { items: [], nextCursor: request.cursor };

    const site = apiUrl();
    const url = new URL(`${site}/posts.json`);
    const safeTag = request.safeSearch && !options.sfwOnly ? [`rating:${SAFE_RATING}`] : [];
    url.searchParams.set("tags", [...tags, ...safeTag].join(" "));
    url.searchParams.set("limit", String(PAGE_SIZE));
    url.searchParams.set("page", String(page));
    const { posts } = parseResponse(name, responseSchema, await fetchJson(name, context.http, url.href));

    const outcomes = posts.map((post) => toOutcome(post, request, site));
    const all = outcomes.flatMap((outcome) => ("item" in outcome ? [outcome.item] : []));
    // A page cut by the limit is fetched again with a skip: its drops were reported on the first visit.
    const dropped = skip === 0 ? outcomes.flatMap((outcome) => ("dropped" in outcome ? [outcome.dropped] : [])) : [];
    const result = slicePage(all, { index: page, skip }, request.limit, nextPage(page, posts.length >= PAGE_SIZE && page < MAX_PAGE));
    return dropped.length > 0 ? { ...result, dropped } : result;
  }

  return {
    id: options.id,
    adapter: "e621",
    // Hard limit 2 requests/second (503 beyond); the API asks for at most 1/s sustained.
    politeness: { requestsPerSecond: 1, concurrency: 1 },
    name,
    description: options.description,
    homepage: options.homepage,
    category: "boorus",
    mediaTypes: ["image", "video"],
    input: "query",
    safeSearch: true,
    search,
  };
}
