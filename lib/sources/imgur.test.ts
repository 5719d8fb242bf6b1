import { describe, expect, it } from "vitest";
import { createImgur } from "@/lib/sources/imgur";
import { fixtureJson, TEST_USER_AGENT, type FixtureHandler, type FixtureReply } from "@/tests/support/source-test-server";
import { adapterPerTest, expectSourceError, searchRequest } from "@/tests/support/source-test-kit";

const CLIENT_ID = "546c25a59c58ad7";

/** Answers like api.imgur.com/3: "aurora" has results on pages 0 and 1; page 2 is empty. */
const imgurApi: FixtureHandler = ({ path, params, headers }) => {
  if (headers.authorization !== `Client-ID ${CLIENT_ID}`) {
    return { status: 403, body: { data: { error: "Invalid client_id", request: path, method: "GET" }, success: false, status: 403 } };
  }
  const match = /^\/3\/gallery\/search\/top\/all\/(\d+)$/.exec(path);
  if (!match) return undefined;
  if (params.get("q") !== "aurora" || match[1] === "2") return { body: { data: [], success: true, status: 200 } };
  return { body: fixtureJson(match[1] === "1" ? "imgur-search-page1.json" : "imgur-search-page0.json") };
};

const imgurWith = adapterPerTest((server) => {
  server.context.key = CLIENT_ID;
  return createImgur({ id: "imgur", name: "Imgur", apiUrl: `${server.origin}/3` });
});

describe("Imgur adapter", () => {
  it("searches the gallery with the Client-ID header and flattens albums into their images", async () => {
    const { source, server } = await imgurWith(imgurApi);
    const page = await source.search(searchRequest(), server.context);

    expect(server.requests).toHaveLength(1);
    const sent = server.requests[0];
    expect(sent.path).toBe("/3/gallery/search/top/all/0");
    expect(Object.fromEntries(sent.params)).toEqual({ q: "aurora" });
    expect(sent.headers.authorization).toBe(`Client-ID ${CLIENT_ID}`);
    expect(sent.headers["user-agent"]).toBe(TEST_USER_AGENT);

    // Safe search drops the nsfw post; the video post is not an image.
    expect(page.items).toEqual([
      {
        remoteId: "kT8a1Zq",
        mediaType: "image",
        mediaUrl: "https://i.imgur.com/kT8a1Zq.jpg",
        pageUrl: "https://imgur.com/gallery/Xk3dQ9a",
        title: "Fjord at night",
        author: "northernlights_fan",
      },
      {
        // An untitled image in an album takes the album's title; animated GIFs stay GIFs.
        remoteId: "b7Yc2Lp",
        mediaType: "image",
        mediaUrl: "https://i.imgur.com/b7Yc2Lp.gif",
        pageUrl: "https://imgur.com/gallery/Xk3dQ9a",
        title: "Aurora trip to Tromsø",
        author: "northernlights_fan",
      },
      {
        remoteId: "Qw4zR8m",
        mediaType: "image",
        mediaUrl: "https://i.imgur.com/Qw4zR8m.png",
        pageUrl: "https://imgur.com/gallery/Qw4zR8m",
        title: "Aurora over the cabin",
        author: "skywatcher",
      },
    ]);
    // searchRequest asks for images with safe search on: the nsfw post and the video are reported, not silently left out
    expect(page.dropped).toEqual([
      { remoteId: "NsFw001", reason: "marked nsfw (safe search is on)" },
      { remoteId: "Vd5mP2x", reason: "a video (the job asks for images only)" },
    ]);
    expect(page.nextCursor).toBe("gallery:1");
  });

  it("keeps nsfw posts when safe search is off", async () => {
    const { source, server } = await imgurWith(imgurApi);
    const page = await source.search(searchRequest({ safeSearch: false }), server.context);
    expect(page.items.map((i) => i.remoteId)).toEqual(["kT8a1Zq", "b7Yc2Lp", "Qw4zR8m", "NsFw001"]);
  });

  it("gives a videos job the videos and the MP4 of animated GIFs", async () => {
    const { source, server } = await imgurWith(imgurApi);
    const videos = await source.search(searchRequest({ mediaTypes: "videos" }), server.context);
    expect(videos.items.map((i) => [i.remoteId, i.mediaType, i.mediaUrl])).toEqual([
      ["b7Yc2Lp", "video", "https://i.imgur.com/b7Yc2Lp.mp4"],
      ["Vd5mP2x", "video", "https://i.imgur.com/Vd5mP2x.mp4"],
    ]);
    expect(videos.dropped).toEqual([
      { remoteId: "kT8a1Zq", reason: "an image (the job asks for videos only)" },
      { remoteId: "Qw4zR8m", reason: "an image (the job asks for videos only)" },
      { remoteId: "NsFw001", reason: "marked nsfw (safe search is on)" },
    ]);
    const both = await source.search(searchRequest({ mediaTypes: "both" }), server.context);
    expect(both.items.map((i) => [i.remoteId, i.mediaType])).toEqual([
      ["kT8a1Zq", "image"],
      ["b7Yc2Lp", "image"],
      ["Qw4zR8m", "image"],
      ["Vd5mP2x", "video"],
    ]);
  });

  it("pages until an empty page and resumes inside a page cut by the limit", async () => {
    const { source, server } = await imgurWith(imgurApi);
    const ids: string[] = [];
    const cursors: (string | null)[] = [];
    let cursor: string | null = null;
    do {
      const page = await source.search(searchRequest({ limit: 2, cursor }), server.context);
      expect(page.items.length).toBeLessThanOrEqual(2);
      ids.push(...page.items.map((i) => i.remoteId));
      cursor = page.nextCursor;
      cursors.push(cursor);
    } while (cursor !== null && server.requests.length < 10);
    expect(cursors).toEqual(["gallery:0:2", "gallery:1", "gallery:2", null]);
    expect(server.requests.map((r) => r.path.split("/").pop())).toEqual(["0", "0", "1", "2"]);
    expect(ids).toEqual(["kT8a1Zq", "b7Yc2Lp", "Qw4zR8m", "Gh6jK9l"]);
  });

  it("reports a rejected or missing Client ID", async () => {
    const { source, server } = await imgurWith(imgurApi);
    const rejected = await expectSourceError(
      source.search(searchRequest(), { ...server.context, key: "wrong" }),
      /^Imgur: API key rejected \(403\)$/,
    );
    expect(rejected.retryable).toBe(false);
    await expectSourceError(source.search(searchRequest(), { ...server.context, key: undefined }), /^Imgur: no API key configured$/);
    await expectSourceError(source.search(searchRequest({ cursor: "gallery:x" }), server.context), /^Imgur: invalid cursor "gallery:x"$/);
  });

  it("reports HTTP failures, malformed JSON and missing fields as SourceErrors naming Imgur", async () => {
    const broken = fixtureJson<{ data: { images?: Record<string, unknown>[] }[] }>("imgur-search-page0.json");
    delete broken.data[0].images![1].link;
    const { source, server } = await imgurWith(({ params }): FixtureReply | undefined => {
      switch (params.get("q")) {
        case "badkey":
          return { status: 401, body: { data: { error: "Authentication required" }, success: false, status: 401 } };
        case "throttled":
          return {
            status: 429,
            headers: { "retry-after": "10" },
            body: { data: { error: "Too Many Requests" }, success: false, status: 429 },
          };
        case "down":
          return { status: 500, body: { data: { error: "Imgur is over capacity!" }, success: false, status: 500 } };
        case "badjson":
          return { body: '{"data": [', headers: { "content-type": "application/json" } };
        case "nodata":
          return { body: { success: true, status: 200 } };
        case "nolink":
          return { body: broken };
        default:
          return undefined;
      }
    });
    const search = (query: string) => source.search(searchRequest({ query }), server.context);

    await expectSourceError(search("badkey"), /^Imgur: API key rejected \(401\)$/);
    const throttled = await expectSourceError(search("throttled"), /^Imgur: HTTP 429 from 127\.0\.0\.1:\d+$/);
    expect([throttled.retryable, throttled.retryAfterMs]).toEqual([true, 10_000]);
    expect((await expectSourceError(search("down"), /^Imgur: HTTP 500 from /)).retryable).toBe(true);
    expect((await expectSourceError(search("gone"), /^Imgur: HTTP 404 from /)).retryable).toBe(false);
    await expectSourceError(search("badjson"), /^Imgur: malformed JSON from 127\.0\.0\.1:\d+$/);
    await expectSourceError(search("nodata"), /^Imgur: malformed response \(missing data\)$/);
    await expectSourceError(search("nolink"), /^Imgur: malformed response \(missing data\[0\]\.images\[1\]\.link\)$/);
  });
});
