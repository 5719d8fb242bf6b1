import { describe, expect, it } from "vitest";
import { createE621 } from "@/lib/sources/e621";
import { fixtureJson, type FixtureHandler } from "@/tests/support/source-test-server";
import { adapterPerTest, expectRequest, expectSourceError, notJson, repliesBy, requestWith } from "@/tests/support/source-test-kit";

type Post = Record<string, unknown> & { id: number };

const request = requestWith({ mediaTypes: "both", safeSearch: false, limit: 500 });

const posts = () => fixtureJson<{ posts: Post[] }>("e621-posts.json").posts;

/** Answers like e621.net: "aurora" has 4 posts; "deep" has a full first page. */
const e621Api: FixtureHandler = ({ path, params }) => {
  if (path !== "/posts.json") return undefined;
  const [first] = (params.get("tags") ?? "").split(" ");
  const page = Number(params.get("page"));
  if (first === "aurora") return { body: { posts: page === 1 ? posts() : [] } };
  if (first === "deep") {
    if (page > 1) return { body: { posts: [] } };
    return { body: { posts: Array.from({ length: 100 }, (_, i) => ({ ...posts()[i % 4], id: 9_000_000 + i })) } };
  }
  return { body: { posts: [] } };
};

const e621With = adapterPerTest((server, sfwOnly: boolean = false) =>
  createE621({
    id: sfwOnly ? "e926" : "e621",
    name: sfwOnly ? "e926" : "e621",
    description: "furry art",
    homepage: "https://e621.net/",
    apiUrl: server.origin,
    sfwOnly,
  }),
);

describe("e621 adapter", () => {
  it("queries posts.json with the descriptive User-Agent and normalizes posts that have a file", async () => {
    const { source, server } = await e621With(e621Api);
    const page = await source.search(request(), server.context);

    // e621 blocks requests without a descriptive User-Agent
    expectRequest(server, { path: "/posts.json", params: { tags: "aurora", limit: "100", page: "1" } });

    expect(page.items).toEqual([
      {
        remoteId: "4612345",
        mediaType: "image",
        mediaUrl: "https://static1.e621.net/data/5e/7d/5e7d3f1a9b2c4e6f8a0b1c2d3e4f5a6b.png",
        thumbnailUrl: "https://static1.e621.net/data/preview/5e/7d/5e7d3f1a9b2c4e6f8a0b1c2d3e4f5a6b.jpg",
        pageUrl: `${server.origin}/posts/4612345`,
        title: undefined,
        author: "nordic fox",
        expectedBytes: 3821044,
        md5: "5e7d3f1a9b2c4e6f8a0b1c2d3e4f5a6b",
      },
      {
        remoteId: "4609876",
        mediaType: "video",
        mediaUrl: "https://static1.e621.net/data/a1/b2/a1b2c3d4e5f60718293a4b5c6d7e8f90.webm",
        thumbnailUrl: "https://static1.e621.net/data/preview/a1/b2/a1b2c3d4e5f60718293a4b5c6d7e8f90.jpg",
        pageUrl: `${server.origin}/posts/4609876`,
        title: "vulpix",
        author: "polar animations",
        expectedBytes: 12400233,
        md5: "a1b2c3d4e5f60718293a4b5c6d7e8f90",
      },
      {
        remoteId: "4598000",
        mediaType: "image",
        mediaUrl: "https://static1.e621.net/data/c0/ff/c0ffee00c0ffee00c0ffee00c0ffee00.gif",
        thumbnailUrl: "https://static1.e621.net/data/preview/c0/ff/c0ffee00c0ffee00c0ffee00c0ffee00.jpg",
        pageUrl: `${server.origin}/posts/4598000`,
        title: "aurora the wolf, borealis (character)",
        author: "skywatcher",
        expectedBytes: 2100000,
        md5: "c0ffee00c0ffee00c0ffee00c0ffee00",
      },
    ]);
    expect(page.dropped).toEqual([{ remoteId: "4601111", reason: "no file URL (hidden from anonymous users)" }]);
    expect(page.nextCursor).toBeNull();
  });

  it("adds rating:s for safe search on e621 and drops other ratings", async () => {
    const { source, server } = await e621With(e621Api);
    const page = await source.search(request({ safeSearch: true }), server.context);
    expect(server.requests[0].params.get("tags")).toBe("aurora rating:s");
    expect(page.items.map((i) => i.remoteId)).toEqual(["4612345", "4598000"]);
    expect(page.dropped).toEqual([
      { remoteId: "4609876", reason: "rated q (safe search keeps rating:s only)" },
      { remoteId: "4601111", reason: "rated e (safe search keeps rating:s only)" },
    ]);
  });

  it("sends no rating tag on the SFW mirror (e926) but still drops non-safe posts", async () => {
    const { source, server } = await e621With(e621Api, true);
    const page = await source.search(request({ safeSearch: true }), server.context);
    expect(server.requests[0].params.get("tags")).toBe("aurora");
    expect(page.items.map((i) => i.remoteId)).toEqual(["4612345", "4598000"]);
  });

  it("drops flash (swf) and deleted posts, each with the reason", async () => {
    const [image] = posts();
    const flash = { ...image, id: 1, file: { ext: "swf", url: "https://static1.e621.net/data/aa/bb/aabb.swf" } };
    const deleted = { ...image, id: 2, file: { ext: "png", url: null }, flags: { deleted: true } };
    const { source, server } = await e621With(() => ({ body: { posts: [flash, deleted, image] } }));
    const page = await source.search(request(), server.context);
    expect(page.items.map((i) => i.remoteId)).toEqual(["4612345"]);
    expect(page.dropped).toEqual([
      { remoteId: "1", reason: "a swf file, which Trawl cannot store" },
      { remoteId: "2", reason: "deleted (no file URL)" },
    ]);
  });

  it("honours the media type filter", async () => {
    const { source, server } = await e621With(e621Api);
    expect((await source.search(request({ mediaTypes: "videos" }), server.context)).items.map((i) => i.remoteId)).toEqual(["4609876"]);
    expect((await source.search(request({ mediaTypes: "images" }), server.context)).items.map((i) => i.remoteId)).toEqual([
      "4612345",
      "4598000",
    ]);
  });

  it("pages while pages are full and stops at the limit without losing posts", async () => {
    const { source, server } = await e621With(e621Api);
    const first = await source.search(request({ query: "deep", limit: 70 }), server.context);
    expect(first.items).toHaveLength(70);
    // every fourth post has no file: 70 items take 93 posts, and the cursor's skip counts posts
    expect(first.nextCursor).toBe("1:93");
    const second = await source.search(request({ query: "deep", limit: 70, cursor: first.nextCursor }), server.context);
    expect(second.items).toHaveLength(5); // 75 of 100 posts have a file
    expect(second.nextCursor).toBe("2");
    // each post without a file is reported once, by the call that reached it
    expect([first.dropped?.length, second.dropped?.length]).toEqual([23, 2]);
    expect(new Set([...first.items, ...second.items].map((i) => i.remoteId)).size).toBe(75);
    const third = await source.search(request({ query: "deep", limit: 70, cursor: second.nextCursor }), server.context);
    expect(third).toEqual({ items: [], nextCursor: null });
    expect(server.requests.map((r) => r.params.get("page"))).toEqual(["1", "1", "2"]);
    await expectSourceError(source.search(request({ cursor: "751" }), server.context), /^e621: invalid cursor "751"$/);
  });

  it("reports HTTP failures and malformed pages as SourceErrors naming e621, and drops only a malformed record", async () => {
    const noRating = posts();
    delete noRating[1].rating;
    const { source, server } = await e621With(
      repliesBy("tags", {
        down: { status: 500, body: { success: false, reason: "Internal error" } },
        // e621 answers 503 past its hard rate limit
        throttled: { status: 503, headers: { "retry-after": "2" }, body: "<html>Rate limited</html>" },
        toomany: { status: 429, headers: { "retry-after": "60" }, body: { success: false } },
        badjson: notJson('{"posts": ['),
        norating: { body: { posts: noRating } },
        bare: { body: [] },
      }),
    );
    const search = (query: string) => source.search(request({ query }), server.context);

    const down = await expectSourceError(search("down"), /^e621: HTTP 500 from 127\.0\.0\.1:\d+$/);
    expect(down.retryable).toBe(true);
    const throttled = await expectSourceError(search("throttled"), /^e621: HTTP 503 from /);
    expect(throttled.retryAfterMs).toBe(2_000);
    const tooMany = await expectSourceError(search("toomany"), /^e621: HTTP 429 from /);
    expect(tooMany.retryable).toBe(true);
    expect(tooMany.retryAfterMs).toBe(60_000);
    const missing = await expectSourceError(search("gone"), /^e621: HTTP 404 from /);
    expect(missing.retryable).toBe(false);
    await expectSourceError(search("badjson"), /^e621: malformed JSON from 127\.0\.0\.1:\d+$/);
    const norating = await search("norating");
    expect(norating.items.map((i) => i.remoteId)).toEqual(["4612345", "4598000"]);
    expect(norating.dropped).toEqual([
      { remoteId: "4609876", reason: "a malformed record (missing rating)" },
      { remoteId: "4601111", reason: "no file URL (hidden from anonymous users)" },
    ]);
    await expectSourceError(search("bare"), /^e621: malformed response \(body: /);
  });
});

describe("e621 adapter on a recorded posts.json page (nullxception/boorusphere test/fixtures/e621/posts.json)", () => {
  type Recorded = Post & { rating: string; file: { url: string; md5: string; size: number }; sample: { url: string } };
  const recorded = () => fixtureJson<{ posts: Recorded[] }>("e621-boorusphere-posts.json").posts;
  const recordedApi: FixtureHandler = ({ path }) => (path === "/posts.json" ? { body: { posts: recorded() } } : undefined);

  it("turns every recorded post into an item that takes the original file, the artist tags and the md5", async () => {
    const { source, server } = await e621With(recordedApi);
    // all 5 recorded posts are rated s, so safe search keeps them all
    const page = await source.search(request({ safeSearch: true }), server.context);
    const posts = recorded();

    expect([posts.length, page.items.length, page.dropped?.length ?? 0]).toEqual([5, 5, 0]);
    expect(page.items.map((i) => [i.remoteId, i.mediaType, i.author, i.title])).toEqual([
      ["4113756", "image", "maria volkova", "lisa patrikeevna"],
      ["4113752", "image", "tinygaypirate", "apogee (tinygaypirate)"],
      // the webm has no artist or character tag: the title is its first copyright tag
      ["4113742", "video", undefined, "apple inc."],
      ["4113725", "image", "xensoi", "loona (helluva boss)"],
      ["4113716", "image", "remmus d", "beach style garchomp"],
    ]);
    for (const [i, item] of page.items.entries()) {
      // the original, never the sample (sample.url is under /data/sample/ for all 5)
      expect(item.mediaUrl).toBe(posts[i].file.url);
      expect(item.mediaUrl).not.toBe(posts[i].sample.url);
      expect([item.md5, item.expectedBytes]).toEqual([posts[i].file.md5, posts[i].file.size]);
    }
    expect(page.items[2].mediaUrl).toBe("https://static1.e621.net/data/14/36/1436d23a4e5c8284cd36cac7e4c99f01.webm");
    // 2 records lack "preview", which only loses the thumbnail
    expect(page.items.filter((i) => i.thumbnailUrl === undefined).map((i) => i.remoteId)).toEqual(["4113725", "4113716"]);
  });

  it("reports the recorded video as left out of an images-only job", async () => {
    const { source, server } = await e621With(recordedApi);
    const page = await source.search(request({ mediaTypes: "images" }), server.context);
    expect(page.items).toHaveLength(4);
    expect(page.dropped).toEqual([{ remoteId: "4113742", reason: "a video (the job asks for images only)" }]);
  });
});
