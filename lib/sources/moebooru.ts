// Docs followed: Moebooru API help (https://yande.re/help/api), gallery-dl moebooru.py.
import { z } from "zod";
import { defineApiSource, drop, type RecordResult } from "@/lib/sources/api-source";
import { extensionOf, mediaTypeFromExtension } from "@/lib/sources/media-kinds";
import type { SearchRequest, SourceAdapter } from "@/lib/sources/types";

// Moebooru boards (yande.re, konachan.com, konachan.net): post.json?tags=&limit=&page= answers
// a bare array of posts. Ratings are s/q/e; konachan.net serves rating:s only. A post's
// "author" is its uploader, not the artist, so it is not reported as the author.
//
// The original (file_url, often a PNG) is downloaded, never jpeg_url (a JPEG re-encode of it),
// sample_url or preview_url, with the post's md5 and file_size to check it. Every post of a page
// that does not become an item is reported in SearchPage.dropped with why: a malformed record (the
// rest of the page is kept), no file URL (deleted or hidden), a file that is not a still image
// (old swf flash posts), a rating safe search leaves out. These boards host still images only
// (mediaTypes ["image"]), so a videos-only job asks them nothing.
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

/** A post -> its item, or why it is left out (safe search, no still image). */
function toItem(post: Post, request: SearchRequest, site: string): RecordResult {
  const remoteId = String(post.id);
  if (request.safeSearch && post.rating !== SAFE_RATING) {
    return drop(remoteId, `rated ${post.rating} (safe search keeps rating:${SAFE_RATING} only)`);
  }
  const mediaUrl = absolute(post.file_url);
  if (!mediaUrl) return drop(remoteId, post.status === "deleted" ? "deleted (no file URL)" : "no file URL (hidden from anonymous users)");
  if (!URL.canParse(mediaUrl)) return drop(remoteId, "a file URL that is not an absolute URL");
  if (mediaTypeFromExtension(mediaUrl) !== "image") {
    return drop(remoteId, `a ${extensionOf(mediaUrl) ?? "typeless"} file, not a still image Trawl stores from this board`);
  }
  return {
    remoteId,
    mediaType: "image",
    mediaUrl,
    thumbnailUrl: absolute(post.preview_url),
    pageUrl: `${site}/post/show/${post.id}`,
    ...(post.file_size ? { expectedBytes: post.file_size } : {}),
    ...(post.md5 ? { md5: post.md5 } : {}),
  };
}

export function createMoebooru(options: MoebooruOptions): SourceAdapter {
  return defineApiSource({
    entry: {
      id: options.id,
      adapter: "moebooru",
      // No published limit; one request a second keeps these volunteer-run boards comfortable.
      politeness: { requestsPerSecond: 1, concurrency: 1 },
      name: options.name,
      description: options.description,
      homepage: options.homepage,
      category: "boorus",
      mediaTypes: ["image"],
      input: "query",
      safeSearch: true,
    },
    apiUrl: options.apiUrl,
    query: "tags",
    firstPage: 1,
    async fetchPage({ client, request, tags, page }) {
      const safeTag = request.safeSearch && !options.sfwOnly ? [`rating:${SAFE_RATING}`] : [];
      const url = client.url("/post.json", { tags: [...tags, ...safeTag].join(" "), limit: PAGE_SIZE, page });
      const posts = client.parse(responseSchema, await client.json(url));
      return { records: posts, next: posts.length >= PAGE_SIZE ? page + 1 : null, shared: client.base };
    },
    record: postSchema,
    toItems: (post, { request, shared: site }) => toItem(post, request, site),
  });
}
