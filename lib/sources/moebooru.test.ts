import { describe, expect, it } from "vitest";
import { createMoebooru } from "@/lib/sources/moebooru";
import { fixtureJson, TEST_USER_AGENT, type FixtureHandler, type FixtureReply } from "@/tests/support/source-test-server";
import { adapterPerTest, expectSourceError, requestWith } from "@/tests/support/source-test-kit";

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

    expect(server.requests).toHaveLength(1);
    expect(server.requests[0].path).toBe("/post.json");
    expect(Object.fromEntries(server.requests[0].params)).toEqual({ tags: "aurora", limit: "100", page: "1" });
    expect(server.requests[0].headers["user-agent"]).toBe(TEST_USER_AGENT);

    expect(page.items).toEqual([
      {
        remoteId: "1154321",
        mediaType: "image",
        mediaUrl: "https://files.yande.re/image/3d2c1b0a9f8e7d6c5b4a39281706f5e4/yande.re%201154321%20aurora%20landscape.png",
        thumbnailUrl: "https://assets.yande.re/data/preview/3d/2c/3d2c1b0a9f8e7d6c5b4a39281706f5e4.jpg",
        pageUrl: `${server.origin}/post/show/1154321`,
      },
      {
        remoteId: "1154200",
        mediaType: "image",
        mediaUrl: "https://files.yande.re/image/9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b/yande.re%201154200%20aurora%20bikini.jpg",
        thumbnailUrl: "https://assets.yande.re/data/preview/9e/8d/9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b.jpg",
        pageUrl: `${server.origin}/post/show/1154200`,
      },
      // 1154100 is deleted and has no file_url
      {
        remoteId: "372004",
        mediaType: "image",
        mediaUrl: "https://konachan.com/image/aabbccddeeff00112233445566778899/Konachan.com%20-%20372004%20aurora%20night.jpg",
        thumbnailUrl: "https://konachan.com/data/preview/aa/bb/aabbccddeeff00112233445566778899.jpg",
        pageUrl: `${server.origin}/post/show/372004`,
      },
    ]);
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

  it("returns nothing for a videos-only job without calling the API", async () => {
    const { source, server } = await moebooruWith(moebooruApi);
    expect(await source.search(request({ mediaTypes: "videos" }), server.context)).toEqual({ items: [], nextCursor: null });
    expect(server.requests).toHaveLength(0);
    expect((await source.search(request({ mediaTypes: "both" }), server.context)).items).toHaveLength(3);
  });

  it("pages while pages are full and resumes inside a page at the limit", async () => {
    const { source, server } = await moebooruWith(moebooruApi);
    const ids: string[] = [];
    const cursors: (string | null)[] = [];
    let cursor: string | null = null;
    do {
      const page = await source.search(request({ query: "deep", limit: 60, cursor }), server.context);
      expect(page.items.length).toBeLessThanOrEqual(60);
      ids.push(...page.items.map((i) => i.remoteId));
      cursor = page.nextCursor;
      cursors.push(cursor);
    } while (cursor !== null);
    expect(cursors).toEqual(["1:60", "2", null]);
    expect(ids).toHaveLength(103);
    expect(new Set(ids).size).toBe(103);
  });

  it("reports HTTP failures, malformed JSON and missing fields as SourceErrors naming the board", async () => {
    const noRating = posts();
    delete noRating[0].rating;
    const { source, server } = await moebooruWith(({ params }): FixtureReply | undefined => {
      switch (params.get("tags")) {
        case "down":
          return { status: 502, body: "<html>Bad gateway</html>" };
        case "throttled":
          return { status: 429, headers: { "retry-after": "120" }, body: "" };
        case "badjson":
          return { body: "[{", headers: { "content-type": "application/json" } };
        case "norating":
          return { body: noRating };
        default:
          return undefined;
      }
    });
    const search = (query: string) => source.search(request({ query }), server.context);

    const down = await expectSourceError(search("down"), /^yande\.re: HTTP 502 from 127\.0\.0\.1:\d+$/);
    expect(down.retryable).toBe(true);
    const throttled = await expectSourceError(search("throttled"), /^yande\.re: HTTP 429 from /);
    expect(throttled.retryAfterMs).toBe(120_000);
    const missing = await expectSourceError(search("gone"), /^yande\.re: HTTP 404 from /);
    expect(missing.retryable).toBe(false);
    await expectSourceError(search("badjson"), /^yande\.re: malformed JSON from 127\.0\.0\.1:\d+$/);
    await expectSourceError(search("norating"), /^yande\.re: malformed response \(missing \[0\]\.rating\)$/);
    await expectSourceError(search(" "), /^yande\.re: a search query \(tags\) is required$/);
  });
});
