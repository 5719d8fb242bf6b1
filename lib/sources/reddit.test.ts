import { describe, expect, it } from "vitest";
import { createReddit, unescapeHtml } from "@/lib/sources/reddit";
import { fixtureJson, TEST_USER_AGENT, type FixtureHandler, type FixtureReply } from "@/tests/support/source-test-server";
import { adapterPerTest, expectSourceError, requestWith } from "@/tests/support/source-test-kit";

type Listing = {
  kind: string;
  data: { after: string | null; children: { kind: string; data: Record<string, unknown> & { permalink: string } }[] };
};

const request = requestWith({ mediaTypes: "both", safeSearch: false });

const listing = () => fixtureJson<Listing>("reddit-search.json");
const permalink = (id: string) => listing().data.children.find((c) => c.data.id === id)?.data.permalink;

/** Answers like www.reddit.com: "aurora" has one page of 7 posts (after = t3_1b4d5cc), then nothing. */
const redditApi: FixtureHandler = ({ path, params }) => {
  if (path !== "/search.json") return undefined;
  if (params.get("q") === "aurora" && !params.has("after")) return { body: listing() };
  return { body: { kind: "Listing", data: { after: null, dist: 0, modhash: "", geo_filter: "", children: [], before: null } } };
};

const redditWith = adapterPerTest((server) => createReddit({ id: "reddit", apiUrl: `${server.origin}/` }));

describe("Reddit adapter", () => {
  it("searches link posts and extracts images, gallery items, videos and crossposted media", async () => {
    const { source, server } = await redditWith(redditApi);
    const page = await source.search(request(), server.context);

    expect(server.requests).toHaveLength(1);
    expect(server.requests[0].path).toBe("/search.json");
    expect(Object.fromEntries(server.requests[0].params)).toEqual({ q: "aurora", type: "link", limit: "100", include_over_18: "on" });
    expect(server.requests[0].headers["user-agent"]).toBe(TEST_USER_AGENT);

    const gallery = {
      pageUrl: `${server.origin}${permalink("1b4j2kq")}`,
      title: "Three nights of aurora & stars",
      author: "u/skyhunter",
      thumbnailUrl: undefined,
    };
    expect(page.items).toEqual([
      {
        remoteId: "1b4kq2x",
        mediaType: "image",
        mediaUrl: "https://i.redd.it/7m2k9x4plpmc1.jpeg",
        thumbnailUrl: "https://preview.redd.it/7m2k9x4plpmc1.jpeg?auto=webp&s=4f0c2d9e8b7a6c5d4e3f2a1b0c9d8e7f6a5b4c3d",
        pageUrl: `${server.origin}${permalink("1b4kq2x")}`,
        title: "Aurora over Lofoten, Norway [OC] [3024x4032]",
        author: "u/fjordwalker",
      },
      // a gallery: the originals on i.redd.it, in gallery order; the failed item is skipped
      { remoteId: "1b4j2kq:q8w7e6r5t4y3", mediaType: "image", mediaUrl: "https://i.redd.it/q8w7e6r5t4y3.jpg", ...gallery },
      { remoteId: "1b4j2kq:a1s2d3f4g5h6", mediaType: "image", mediaUrl: "https://i.redd.it/a1s2d3f4g5h6.png", ...gallery },
      { remoteId: "1b4j2kq:z9x8c7v6b5n4", mediaType: "image", mediaUrl: "https://i.redd.it/z9x8c7v6b5n4.gif", ...gallery },
      {
        // Reddit-hosted video: the fallback MP4 (video track only)
        remoteId: "1b4h8vn",
        mediaType: "video",
        mediaUrl: "https://v.redd.it/x9y8z7w6v5u4/DASH_1080.mp4?source=fallback",
        thumbnailUrl: "https://external-preview.redd.it/x9y8z7w6v5u4.png?format=pjpg&auto=webp&s=0a9b",
        pageUrl: `${server.origin}${permalink("1b4h8vn")}`,
        title: "Real-time aurora, 20 minutes",
        author: "u/nightlapse",
      },
      {
        remoteId: "1b4g1nn",
        mediaType: "image",
        mediaUrl: "https://i.imgur.com/Zx8Yw7V.png",
        thumbnailUrl: "https://preview.redd.it/zx8yw7v.png?auto=webp&s=1111",
        pageUrl: `${server.origin}${permalink("1b4g1nn")}`,
        title: "Aurora selfie (nsfw)",
        author: "u/throwaway_aurora",
      },
      // the self post and the news link carry no media of their own
      {
        // a crosspost: the media of the original post; the author deleted their account
        remoteId: "1b4d5cc",
        mediaType: "image",
        mediaUrl: "https://i.redd.it/c0r0na5tr41ght.png",
        thumbnailUrl: undefined,
        pageUrl: `${server.origin}${permalink("1b4d5cc")}`,
        title: "Crosspost: aurora corona straight overhead",
        author: undefined,
      },
    ]);
    expect(page.nextCursor).toBe("t3_1b4d5cc");
  });

  it("leaves include_over_18 off for safe search and drops posts marked over 18", async () => {
    const { source, server } = await redditWith(redditApi);
    const page = await source.search(request({ safeSearch: true }), server.context);
    expect(server.requests[0].params.has("include_over_18")).toBe(false);
    expect(page.items.map((i) => i.remoteId)).not.toContain("1b4g1nn");
    expect(page.items).toHaveLength(6);
  });

  it("honours the media type filter", async () => {
    const { source, server } = await redditWith(redditApi);
    const videos = await source.search(request({ mediaTypes: "videos" }), server.context);
    expect(videos.items.map((i) => i.remoteId)).toEqual(["1b4h8vn"]);
    const images = await source.search(request({ mediaTypes: "images" }), server.context);
    expect(images.items).toHaveLength(6);
  });

  it("follows data.after, resuming inside a listing page when the limit cuts it", async () => {
    const { source, server } = await redditWith(redditApi);
    const ids: string[] = [];
    const cursors: (string | null)[] = [];
    let cursor: string | null = null;
    do {
      const page = await source.search(request({ limit: 3, cursor }), server.context);
      expect(page.items.length).toBeLessThanOrEqual(3);
      ids.push(...page.items.map((i) => i.remoteId));
      cursor = page.nextCursor;
      cursors.push(cursor);
    } while (cursor !== null);
    expect(cursors).toEqual([":3", ":6", "t3_1b4d5cc", null]);
    expect(server.requests.map((r) => r.params.get("after"))).toEqual([null, null, null, "t3_1b4d5cc"]);
    expect(ids).toHaveLength(7);
    expect(new Set(ids).size).toBe(7);
    await expectSourceError(source.search(request({ cursor: "t3_x:y" }), server.context), /^Reddit: invalid cursor "t3_x:y"$/);
  });

  it("unescapes the HTML entities Reddit puts in JSON strings", () => {
    expect(unescapeHtml("https://preview.redd.it/a.jpg?width=108&amp;crop=smart&amp;s=1")).toBe(
      "https://preview.redd.it/a.jpg?width=108&crop=smart&s=1",
    );
    expect(unescapeHtml("&lt;b&gt; &quot;x&quot; &#39;y&#39;")).toBe(`<b> "x" 'y'`);
  });

  it("reports HTTP failures, malformed JSON and missing fields as SourceErrors naming Reddit", async () => {
    const noPermalink = listing();
    delete (noPermalink.data.children[2].data as Partial<Record<string, unknown>>).permalink;
    const { source, server } = await redditWith(({ params }): FixtureReply | undefined => {
      switch (params.get("q")) {
        case "blocked":
          return { status: 403, body: "<html><body>Blocked</body></html>" };
        case "down":
          return { status: 500, body: { message: "Internal Server Error", error: 500 } };
        case "throttled":
          return { status: 429, headers: { "retry-after": "600" }, body: { message: "Too Many Requests", error: 429 } };
        case "badjson":
          return { body: '{"kind": "Listing", "data": {', headers: { "content-type": "application/json" } };
        case "nopermalink":
          return { body: noPermalink };
        case "nodata":
          return { body: { kind: "Listing" } };
        default:
          return undefined;
      }
    });
    const search = (query: string) => source.search(request({ query }), server.context);

    const blocked = await expectSourceError(search("blocked"), /^Reddit: HTTP 403 from 127\.0\.0\.1:\d+$/);
    expect(blocked.retryable).toBe(false);
    const down = await expectSourceError(search("down"), /^Reddit: HTTP 500 from /);
    expect(down.retryable).toBe(true);
    const throttled = await expectSourceError(search("throttled"), /^Reddit: HTTP 429 from /);
    expect(throttled.retryAfterMs).toBe(600_000);
    expect(throttled.retryable).toBe(true);
    await expectSourceError(search("gone"), /^Reddit: HTTP 404 from /);
    await expectSourceError(search("badjson"), /^Reddit: malformed JSON from /);
    await expectSourceError(search("nopermalink"), /^Reddit: malformed response \(missing data\.children\[2\]\.data\.permalink\)$/);
    await expectSourceError(search("nodata"), /^Reddit: malformed response \(missing data\)$/);
    await expectSourceError(search("  "), /^Reddit: a search query is required$/);
  });
});
