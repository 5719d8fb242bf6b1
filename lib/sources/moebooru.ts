// Docs followed: Moebooru API help (https://yande.re/help/api), gallery-dl moebooru.py.
import { z } from "zod";
import { mediaTypeFromExtension } from "@/lib/sources/media-kinds";
import { parsePositionCursor, nextPage, slicePage } from "@/lib/sources/position-cursor";
import { fetchJson, parseResponse } from "@/lib/sources/source-http";
import { SourceError, type SearchPage, type SearchRequest, type SourceAdapter, type SourceContext } from "@/lib/sources/types";
import { malformedRecord, type RecordOutcome } from "@/lib/sources/records";

// Moebooru boards (yande.re, konachan.com, konachan.net): post.json?tags=&limit=&page= answers
// a bare array of posts. Ratings are s/q/e; konachan.net serves rating:s only. A post's
// "author" is its uploader, not the artist, so it is not reported as the author.
//
// The original (file_url, often a PNG) is downloaded, never jpeg_url (a JPEG re-encode of it),
// sample_url or preview_url, with the post's md5 and file_size to check it. Every post of a page
// that does not become an item is reported in SearchPage.dropped with why: a malformed record (the
// rest of the page is kept), no file URL (deleted or hidden), a file that is not a still image
// (old swf flash posts), a rating safe search leaves out. Only the first visit of a page (no skip
// in the cursor) reports them.
// Tested on a recorded konachan.net page (nullxception/boorusphere test/fixtures/konachan/posts.json,
// see tests/fixtures/sources/moebooru-konachan-boorusphere-posts.provenance.md).

const PAGE_SIZE = 100;
const SAFE_RATING = "s";

const postSchema = z.object({
  id: z.number().int(),
  rating: z.string(),
  // Absent for deleted posts and posts hidden from anonymous users.
  file_url: z.string().nullish(),
  md5: z.string().nullish(),
  file_size: z.number().nullish(),
  status: z.string().nullish(),
  preview_url: z.string().nullish(),
});
type Post = z.infer<typeof postSchema>;

/** Posts are checked one by one, so one malformed record does not fail the page. */
const responseSchema = z.array(z.unknown());

function extensionOf(url: string) {
  return /\.([a-z0-9]+)$/i.exec(new URL(url).pathname)?.[1].toLowerCase();
}

/** Older Moebooru versions answer protocol-relative URLs ("//konachan.com/image/..."). */
function absolute(url: string | null | undefined) {
  if (!url) return undefined;
  return url.startsWith("//") ? `https:${url}` : url;
}

export interface MoebooruOptions {
  id: string;
  name: string;
  description: string;
  homepage: string;
  apiUrl: string | (() => string);
  /** The board serves rating:s only (konachan.net), so safe search needs no extra tag. */
  sfwOnly?: boolean;
}

export function createMoebooru(options: MoebooruOptions): SourceAdapter {
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
    const mediaUrl = absolute(post.file_url);
    if (!mediaUrl) {
      return {
        dropped: { remoteId, reason: post.status === "deleted" ? "deleted (no file URL)" : "no file URL (hidden from anonymous users)" },
      };
    }
    if (!URL.canParse(mediaUrl)) return { dropped: { remoteId, reason: "a file URL that is not an absolute URL" } };
    // These boards are searched for still images only (the adapter declares mediaTypes: ["image"]).
    if (mediaTypeFromExtension(mediaUrl) !== "image") {
      return {
        dropped: { remoteId, reason: `a ${extensionOf(mediaUrl) ?? "typeless"} file, not a still image Trawl stores from this board` },
      };
    }
    return {
      item: {
        remoteId,
        mediaType: "image",
        mediaUrl,
        thumbnailUrl: absolute(post.preview_url),
        pageUrl: `${site}/post/show/${post.id}`,
        ...(post.file_size ? { expectedBytes: post.file_size } : {}),
        ...(post.md5 ? { md5: post.md5 } : {}),
      },
    };
  }

  /** The cursor is the next page number, or "<page>:<items already returned>" when the limit cut a page. */
  async function search(request: SearchRequest, context: SourceContext): Promise<SearchPage> {
    // These boards host still images only.
    if (request.mediaTypes === "videos") return { items: [], nextCursor: null };
    const tags = request.query.trim().split(/\s+/).filter(Boolean);
    if (tags.length === 0) throw new SourceError(`${name}: a search query (tags) is required`, undefined, false);
    const { index: page, skip } = parsePositionCursor(name, request.cursor, 1);
    if (page < 1) throw new SourceError(`${name}: invalid cursor "${request.cursor}"`, undefined, false);
    if (request.limit < 1) return { items: [], nextCursor: request.cursor };

    const site = apiUrl();
    const url = new URL(`${site}/post.json`);
    const safeTag = request.safeSearch && !options.sfwOnly ? [`rating:${SAFE_RATING}`] : [];
    url.searchParams.set("tags", [...tags, ...safeTag].join(" "));
    url.searchParams.set("limit", String(PAGE_SIZE));
    url.searchParams.set("page", String(page));
    const posts = parseResponse(name, responseSchema, await fetchJson(name, context.http, url.href));

    const outcomes = posts.map((post) => toOutcome(post, request, site));
    const all = outcomes.flatMap((outcome) => ("item" in outcome ? [outcome.item] : []));
    // A page cut by the limit is fetched again with a skip: its drops were reported on the first visit.
    const dropped = skip === 0 ? outcomes.flatMap((outcome) => ("dropped" in outcome ? [outcome.dropped] : [])) : [];
    const result = slicePage(all, { index: page, skip }, request.limit, nextPage(page, posts.length >= PAGE_SIZE));
    return dropped.length > 0 ? { ...result, dropped } : result;
  }

  return {
    id: options.id,
    adapter: "moebooru",
    // No published limit; one request a second keeps these volunteer-run boards comfortable.
    politeness: { requestsPerSecond: 1, concurrency: 1 },
    name,
    description: options.description,
    homepage: options.homepage,
    category: "boorus",
    mediaTypes: ["image"],
    input: "query",
    safeSearch: true,
    search,
  };
}
