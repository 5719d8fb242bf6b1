import { describe, expect, it } from "vitest";
import { createMoebooru } from "@/lib/sources/moebooru";
import { fixtureJson, type FixtureHandler } from "@/tests/support/source-test-server";
import {
  adapterPerTest,
  expectRequest,
  expectSourceError,
  notJson,
  repliesBy,
  requestWith,
  walkPages,
} from "@/tests/support/source-test-kit";

type Post = Record<string, unknown> & { id: number };

const request = requestWith({ safeSearch: false, limit: 500 });

const posts = () => fixtureJson<Post[]>("moebooru-posts.json");

/** Answers like yande.re: "aurora" has 4 posts; "deep" has one full page of 100, then 4. */
const moebooruApi: FixtureHandler = ({ path, params }) => {
  if (path !== "/post.json") return undefined;
  const [first] = (params.get("tags") ?? "").split(" ");
  const page = Number(params.get("page"));
  if (first === "aurora") return { body: page === 1 ? posts() : [] };
  if (first === "deep")
    return { body: page === 1 ? Array.from({ length: 100 }, (_, i) => ({ ...posts()[0], id: 2_000_000 + i })) : posts() };
  return { body: [] };
};

const moebooruWith = adapterPerTest((server, sfwOnly: boolean = false) =>
  createMoebooru({
    id: sfwOnly ? "konachan-net" : "yande-re",
    name: sfwOnly ? "Konachan.net" : "yande.re",
    description: "anime art",
    homepage: "https://yande.re/",
    apiUrl: `${server.origin}/`,
    sfwOnly,
  }),
);

describe("Moebooru adapter", () => {
  it("queries post.json by tags and normalizes posts, making protocol-relative URLs absolute", async () => {
    const { source, server } = await moebooruWith(moebooruApi);
    const page = await source.search(request(), server.context);

    expectRequest(server, { path: "/post.json", params: { tags: "aurora", limit: "100", page: "1" } });

    expect(page.items).toEqual([
      {
        remoteId: "1154321",
        mediaType: "image",
        mediaUrl: "https://files.yande.re/image/3d2c1b0a9f8e7d6c5b4a39281706f5e4/yande.re%201154321%20aurora%20landscape.png",
        thumbnailUrl: "https://assets.yande.re/data/preview/3d/2c/3d2c1b0a9f8e7d6c5b4a39281706f5e4.jpg",
        pageUrl: `${server.origin}/post/show/1154321`,
        expectedBytes: 5242880,
        md5: "3d2c1b0a9f8e7d6c5b4a39281706f5e4",
      },
      {
        remoteId: "1154200",
        mediaType: "image",
        mediaUrl: "https://files.yande.re/image/9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b/yande.re%201154200%20aurora%20bikini.jpg",
        thumbnailUrl: "https://assets.yande.re/data/preview/9e/8d/9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b.jpg",
        pageUrl: `${server.origin}/post/show/1154200`,
        expectedBytes: 2097152,
        md5: "9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b",
      },
      {
        remoteId: "372004",
        mediaType: "image",
        mediaUrl: "https://konachan.com/image/aabbccddeeff00112233445566778899/Konachan.com%20-%20372004%20aurora%20night.jpg",
        thumbnailUrl: "https://konachan.com/data/preview/aa/bb/aabbccddeeff00112233445566778899.jpg",
        pageUrl: `${server.origin}/post/show/372004`,
        expectedBytes: 1500000,
        md5: "aabbccddeeff00112233445566778899",
      },
    ]);
    expect(page.dropped).toEqual([{ remoteId: "1154100", reason: "deleted (no file URL)" }]);
    expect(page.nextCursor).toBeNull();
  });

  it("adds rating:s for safe search (none on an SFW-only board) and drops other ratings", async () => {
    const { source, server } = await moebooruWith(moebooruApi);
    const safe = await source.search(request({ safeSearch: true }), server.context);
    expect(server.requests[0].params.get("tags")).toBe("aurora rating:s");
    expect(safe.items.map((i) => i.remoteId)).toEqual(["1154321", "372004"]);
    await server.close();

    const sfw = await moebooruWith(moebooruApi, true);
    const sfwPage = await sfw.source.search(request({ safeSearch: true }), sfw.server.context);
    expect(sfw.server.requests[0].params.get("tags")).toBe("aurora");
    expect(sfwPage.items.map((i) => i.remoteId)).toEqual(["1154321", "372004"]);
  });

  it("drops an old flash (swf) post with the reason", async () => {
    const [image] = posts();
    const flash = { ...image, id: 6437, file_url: "https://files.yande.re/image/aabb/yande.re%206437%20flash.swf" };
    const { source, server } = await moebooruWith(() => ({ body: [flash, image] }));
    const page = await source.search(request(), server.context);
    expect(page.items.map((i) => i.remoteId)).toEqual(["1154321"]);
    expect(page.dropped).toEqual([{ remoteId: "6437", reason: "a swf file, not a still image Trawl stores from this board" }]);
  });

  it("returns the images for a job that asks for both", async () => {
    const { source, server } = await moebooruWith(moebooruApi);
    expect((await source.search(request({ mediaTypes: "both" }), server.context)).items).toHaveLength(3);
  });

  it("pages while pages are full and resumes inside a page at the limit", async () => {
    const { source, server } = await moebooruWith(moebooruApi);
    const { ids, cursors } = await walkPages(source, request({ query: "deep", limit: 60 }), server.context);
    expect(cursors).toEqual(["1:60", "2", null]);
    expect(ids).toHaveLength(103);
    expect(new Set(ids).size).toBe(103);
  });

  it("reports HTTP failures and malformed pages as SourceErrors naming the board, and drops only a malformed record", async () => {
    const noRating = posts();
    delete noRating[0].rating;
    const { source, server } = await moebooruWith(
      repliesBy("tags", {
        down: { status: 502, body: "<html>Bad gateway</html>" },
        throttled: { status: 429, headers: { "retry-after": "120" }, body: "" },
        badjson: notJson("[{"),
        norating: { body: noRating },
        notarray: { body: { success: false, reason: "error" } },
      }),
    );
    const search = (query: string) => source.search(request({ query }), server.context);

    const down = await expectSourceError(search("down"), /^yande\.re: HTTP 502 from 127\.0\.0\.1:\d+$/);
    expect(down.retryable).toBe(true);
    const throttled = await expectSourceError(search("throttled"), /^yande\.re: HTTP 429 from /);
    expect(throttled.retryAfterMs).toBe(120_000);
    const missing = await expectSourceError(search("gone"), /^yande\.re: HTTP 404 from /);
    expect(missing.retryable).toBe(false);
    await expectSourceError(search("badjson"), /^yande\.re: malformed JSON from 127\.0\.0\.1:\d+$/);
    const norating = await search("norating");
    expect(norating.items.map((i) => i.remoteId)).toEqual(["1154200", "372004"]);
    expect(norating.dropped).toEqual([
      { remoteId: "1154321", reason: "a malformed record (missing rating)" },
      { remoteId: "1154100", reason: "deleted (no file URL)" },
    ]);
    await expectSourceError(search("notarray"), /^yande\.re: malformed response \(body: /);
    await expectSourceError(search(" "), /^yande\.re: a search query \(tags\) is required$/);
  });
});

describe("Moebooru adapter on a recorded konachan.net post.json page (nullxception/boorusphere test/fixtures/konachan/posts.json)", () => {
  type Recorded = Post & { file_url: string; jpeg_url: string; sample_url: string; md5: string; file_size: number; author: string };
  const recorded = () => fixtureJson<Recorded[]>("moebooru-konachan-boorusphere-posts.json");
  const recordedApi: FixtureHandler = ({ path }) => (path === "/post.json" ? { body: recorded() } : undefined);

  it("turns every recorded post into an item that takes the original PNG, not the JPEG or sample, with md5 and size", async () => {
    const { source, server } = await moebooruWith(recordedApi, true);
    // all 5 recorded posts are rated s
    const page = await source.search(request({ safeSearch: true }), server.context);
    const posts = recorded();

    expect([posts.length, page.items.length, page.dropped?.length ?? 0]).toEqual([5, 5, 0]);
    expect(page.items.map((i) => i.remoteId)).toEqual(["358401", "358400", "358398", "358397", "358396"]);
    for (const [i, item] of page.items.entries()) {
      expect(item.mediaUrl).toBe(posts[i].file_url);
      expect(item.mediaUrl).toMatch(/^https:\/\/konachan\.net\/image\/.*\.png$/);
      expect(item.mediaUrl).not.toBe(posts[i].jpeg_url);
      expect([item.md5, item.expectedBytes]).toEqual([posts[i].md5, posts[i].file_size]);
      // "author" is the uploader (otaku_emmy, BattlequeenYume), not the artist
      expect(item.author).toBeUndefined();
    }
    expect(page.items.filter((i) => i.thumbnailUrl === undefined).map((i) => i.remoteId)).toEqual(["358397", "358396"]);
  });
});
