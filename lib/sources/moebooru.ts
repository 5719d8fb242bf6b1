// Docs followed: Moebooru API help (https://yande.re/help/api), gallery-dl moebooru.py.
import { z } from "zod";
import { mediaTypeFromExtension, wantsMediaType } from "@/lib/sources/media-kinds";
import { parsePositionCursor, nextPage, slicePage } from "@/lib/sources/position-cursor";
import { fetchJson, parseResponse } from "@/lib/sources/source-http";
import {
  SourceError,
  type SearchPage,
  type SearchRequest,
  type SourceAdapter,
  type SourceContext,
  type SourceItem,
} from "@/lib/sources/types";

// Moebooru boards (yande.re, konachan.com, konachan.net): post.json?tags=&limit=&page= answers
// a bare array of posts. Ratings are s/q/e; konachan.net serves rating:s only. A post's
// "author" is its uploader, not the artist, so it is not reported as the author.

const PAGE_SIZE = 100;
const SAFE_RATING = "s";

const postSchema = z.object({
  id: z.number().int(),
  rating: z.string(),
  // Absent for deleted posts and posts hidden from anonymous users.
  file_url: z.string().nullish(),
  preview_url: z.string().nullish(),
});
type Post = z.infer<typeof postSchema>;

const responseSchema = z.array(postSchema);

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

  function toItem(post: Post, request: SearchRequest, site: string): SourceItem | undefined {
    if (request.safeSearch && post.rating !== SAFE_RATING) return undefined;
    const mediaUrl = absolute(post.file_url);
    const mediaType = mediaUrl ? mediaTypeFromExtension(mediaUrl) : undefined;
    if (!mediaUrl || !mediaType || !wantsMediaType(request.mediaTypes, mediaType)) return undefined;
    return {
      remoteId: String(post.id),
      mediaType,
      mediaUrl,
      thumbnailUrl: absolute(post.preview_url),
      pageUrl: `${site}/post/show/${post.id}`,
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

    const all = posts.flatMap((post) => toItem(post, request, site) ?? []);
    return slicePage(all, { index: page, skip }, request.limit, nextPage(page, posts.length >= PAGE_SIZE));
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
