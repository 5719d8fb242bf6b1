import { describe, expect, it } from "vitest";
import { createGiphy } from "@/lib/sources/giphy";
import { fixtureJson, type FixtureHandler } from "@/tests/support/source-test-server";
import { adapterPerTest, expectRequest, expectSourceError, searchRequest } from "@/tests/support/source-test-kit";

const KEY = "dc6zaTOxFJmzC-test";
const MEDIA = "https://media3.giphy.com/media/v1.Y2lkPTc5MGI3NjExZXA";

/** Answers like api.giphy.com: "aurora" has 5 GIFs, served from offset 0 (3) and offset 3 (2). */
const giphyApi: FixtureHandler = ({ path, params }) => {
  if (path !== "/v1/gifs/search") return undefined;
  if (params.get("api_key") !== KEY)
    return { status: 401, body: { meta: { status: 401, msg: "No API key found in request.", response_id: "" } } };
  if (params.get("q") !== "aurora") {
    return { body: { data: [], pagination: { total_count: 0, count: 0, offset: 0 }, meta: { status: 200, msg: "OK", response_id: "x" } } };
  }
  return { body: fixtureJson(Number(params.get("offset")) >= 3 ? "giphy-search-page2.json" : "giphy-search-page1.json") };
};

const giphyWith = adapterPerTest((server) => {
  server.context.key = KEY;
  return createGiphy({ id: "giphy", name: "GIPHY", apiUrl: `${server.origin}/v1/` });
});

describe("GIPHY adapter", () => {
  it("searches with the key, limit, offset and rating g, returning the GIFs as images", async () => {
    const { source, server } = await giphyWith(giphyApi);
    const page = await source.search(searchRequest(), server.context);

    expectRequest(server, { params: { api_key: KEY, q: "aurora", limit: "50", offset: "0", rating: "g" } });

    expect(page.items[0]).toEqual({
      remoteId: "SIuI7syOPvm1HAd5GF",
      mediaType: "image",
      mediaUrl: `${MEDIA}/SIuI7syOPvm1HAd5GF/giphy.gif`,
      thumbnailUrl: `${MEDIA}/SIuI7syOPvm1HAd5GF/100w.gif`,
      pageUrl: "https://giphy.com/gifs/nasa-aurora-SIuI7syOPvm1HAd5GF",
      title: "Aurora Borealis GIF by NASA",
      author: "NASA",
    });
    // No user object and an empty username: no author.
    expect(page.items.map((i) => i.author)).toEqual(["NASA", undefined, "Inspired by Iceland"]);
    expect(page.nextCursor).toBe("3");
  });

  it("pages by offset until total_count", async () => {
    const { source, server } = await giphyWith(giphyApi);
    const last = await source.search(searchRequest({ cursor: "3" }), server.context);
    expect(server.requests[0].params.get("offset")).toBe("3");
    expect(last.items.map((i) => i.remoteId)).toEqual(["xT9IgzoKnwFNmISR8I", "26tPoyDhjiJ2g7rEs"]);
    expect(last.nextCursor).toBeNull();
  });

  it("asks for no more than the limit (at most 50) and continues after what it got", async () => {
    const { source, server } = await giphyWith(({ params }) => {
      const body = fixtureJson<{ data: unknown[]; pagination: Record<string, number> }>("giphy-search-page1.json");
      const limit = Number(params.get("limit"));
      return { body: { ...body, data: body.data.slice(0, limit), pagination: { total_count: 5, count: limit, offset: 0 } } };
    });
    const page = await source.search(searchRequest({ limit: 2 }), server.context);
    expect(server.requests[0].params.get("limit")).toBe("2");
    expect(page.items).toHaveLength(2);
    expect(page.nextCursor).toBe("2");
  });

  it("returns the MP4 renditions as videos for a videos job, skipping GIFs without one", async () => {
    const { source, server } = await giphyWith(giphyApi);
    const page = await source.search(searchRequest({ mediaTypes: "videos", cursor: "3", safeSearch: false }), server.context);
    expect(server.requests[0].params.get("rating")).toBe("r");
    expect(page.items).toEqual([
      {
        remoteId: "xT9IgzoKnwFNmISR8I",
        mediaType: "video",
        mediaUrl: `${MEDIA}/xT9IgzoKnwFNmISR8I/giphy.mp4`,
        thumbnailUrl: `${MEDIA}/xT9IgzoKnwFNmISR8I/100w.gif`,
        pageUrl: "https://giphy.com/gifs/aurora-loop-xT9IgzoKnwFNmISR8I",
        title: "Aurora Loop GIF",
        author: "Space GIFs",
      },
    ]);
    expect(page.dropped).toEqual([{ remoteId: "26tPoyDhjiJ2g7rEs", reason: "no MP4 rendition" }]);
    const both = await source.search(searchRequest({ mediaTypes: "both" }), server.context);
    expect(both.items.every((i) => i.mediaType === "image" && i.mediaUrl.endsWith("/giphy.gif"))).toBe(true);
  });

  it("finishes on a search without results and rejects cursors it did not issue", async () => {
    const { source, server } = await giphyWith(giphyApi);
    expect(await source.search(searchRequest({ query: "qqqzzz" }), server.context)).toEqual({ items: [], nextCursor: null });
    await expectSourceError(source.search(searchRequest({ cursor: "5000" }), server.context), /^GIPHY: invalid cursor "5000"$/);
    await expectSourceError(source.search(searchRequest({ cursor: "next" }), server.context), /^GIPHY: invalid cursor "next"$/);
    await expectSourceError(source.search(searchRequest({ cursor: "gifs:3" }), server.context), /^GIPHY: invalid cursor "gifs:3"$/);
    expect(server.requests).toHaveLength(1);
  });

  it("resumes inside an answer: the cursor's skip counts the GIFs of that offset already handled", async () => {
    const { source, server } = await giphyWith(giphyApi);
    // "3:1" (the one cursor format): offset 3, its first GIF already handled
    const page = await source.search(searchRequest({ cursor: "3:1" }), server.context);
    expect(server.requests[0].params.get("offset")).toBe("3");
    expect(page.items.map((i) => i.remoteId)).toEqual(["26tPoyDhjiJ2g7rEs"]);
    expect(page.nextCursor).toBeNull();
  });

  it("reports a rejected or missing key", async () => {
    const { source, server } = await giphyWith(giphyApi);
    const rejected = await expectSourceError(
      source.search(searchRequest(), { ...server.context, key: "wrong" }),
      /^GIPHY: API key rejected \(401\)$/,
    );
    expect(rejected.retryable).toBe(false);
    await expectSourceError(source.search(searchRequest(), { ...server.context, key: undefined }), /^GIPHY: no API key configured$/);
  });

  it("reports a 403 as a rejected key too", async () => {
    const { source, server } = await giphyWith(() => ({ status: 403, body: { meta: { status: 403, msg: "Forbidden", response_id: "" } } }));
    const rejected = await expectSourceError(source.search(searchRequest(), server.context), /^GIPHY: API key rejected \(403\)$/);
    expect(rejected.retryable).toBe(false);
  });

  it("drops only a GIF without the fields it maps", async () => {
    // HTTP failures, bodies that are not JSON and bodies without the fields read are in the failure-contract table.
    const broken = fixtureJson<{ data: { images: Record<string, unknown> }[] }>("giphy-search-page1.json");
    delete broken.data[1].images.original;
    const { source, server } = await giphyWith(() => ({ body: broken }));
    const page = await source.search(searchRequest(), server.context);
    expect(page.items.map((i) => i.remoteId)).toEqual(["SIuI7syOPvm1HAd5GF", "l0HlQ7LRalQqdWfao"]);
    expect(page.dropped).toEqual([{ remoteId: "3o7btNa0RUYa5E7iiQ", reason: "a malformed record (missing images.original)" }]);
  });

  it("takes the 4k MP4 over the hd one and the original's for a videos job", async () => {
    const [gif] = fixtureJson<{ id: string; images: Record<string, unknown> }[]>("giphy-recorded-gifs-2019.json");
    // A copy of a recorded GIF with a "4k" rendition added, as GIPHY's rendition glossary describes it (MP4, 2160-3840 px).
    const fourK = {
      ...gif,
      images: {
        ...gif.images,
        "4k": { width: "3840", height: "2160", mp4: "https://media0.giphy.com/media/26wkDxt5Xg4m8vt3a/giphy-4k.mp4" },
      },
    };
    const body = { data: [fourK, gif], pagination: { total_count: 2, count: 2, offset: 0 }, meta: { status: 200, msg: "OK" } };
    const { source, server } = await giphyWith(() => ({ body }));
    const page = await source.search(searchRequest({ mediaTypes: "videos" }), server.context);
    expect(page.items.map((i) => i.mediaUrl.split("/").pop())).toEqual(["giphy-4k.mp4", "giphy-hd.mp4"]);
  });
});

// A real response, recorded by GIPHY's own giphy-js (packages/components/public/gifs.json, the data array of a
// GIPHY search, committed 2019-02-25; see tests/fixtures/sources/giphy-recorded-gifs-2019.provenance.md). Five of
// its 62 GIFs, unedited: two with an "hd" MP4, one without, one whose user has an empty display name, one without a user.
describe("GIPHY adapter on a recorded response", () => {
  type Gif = { id: string; images: Record<string, { url?: string; mp4?: string }> };
  const gifs = () => fixtureJson<Gif[]>("giphy-recorded-gifs-2019.json");
  const recordedApi: FixtureHandler = ({ path }) => {
    if (path !== "/v1/gifs/search") return undefined;
    const data = gifs();
    return { body: { data, pagination: { total_count: data.length, count: data.length, offset: 0 }, meta: { status: 200, msg: "OK" } } };
  };

  it("turns every recorded GIF into an item, the GIF original for images", async () => {
    const { source, server } = await giphyWith(recordedApi);
    const page = await source.search(searchRequest(), server.context);
    expect(gifs()).toHaveLength(5);
    expect(page.items).toHaveLength(5);
    expect(page.dropped).toBeUndefined();
    expect(page.items.map((i) => i.mediaUrl)).toEqual(gifs().map((g) => g.images.original.url));
    expect(page.items[0]).toEqual({
      remoteId: "26wkDxt5Xg4m8vt3a",
      mediaType: "image",
      mediaUrl: "https://media0.giphy.com/media/26wkDxt5Xg4m8vt3a/giphy.gif",
      thumbnailUrl: "https://media0.giphy.com/media/26wkDxt5Xg4m8vt3a/100w.gif",
      pageUrl: "https://giphy.com/gifs/sharktank-shark-tank-919-26wkDxt5Xg4m8vt3a",
      title: "oh no sudden realization GIF by Shark Tank",
      author: "Shark Tank",
    });
    // user.display_name first; an empty one falls back to the username; no user and no username: no author.
    expect(page.items.map((i) => i.author)).toEqual(["Shark Tank", "Grupo Chespirito", "PBS", "boomunderground", undefined]);
  });

  it("takes the largest MP4 for a videos job: hd (1280x720) over the original's (480x270) when offered", async () => {
    const { source, server } = await giphyWith(recordedApi);
    const page = await source.search(searchRequest({ mediaTypes: "videos" }), server.context);
    expect(page.items).toHaveLength(5);
    expect(page.dropped).toBeUndefined();
    expect(page.items.map((i) => [i.mediaType, i.mediaUrl.split("/").slice(-2).join("/")])).toEqual([
      ["video", "26wkDxt5Xg4m8vt3a/giphy-hd.mp4"],
      ["video", "3oxHQkE13aSpmC1Suc/giphy-hd.mp4"],
      ["video", "l1J3PrKp0rw4EAWfm/giphy.mp4"],
      ["video", "xT0BKIRMy9i07uWZsk/giphy.mp4"],
      ["video", "MqxZxTlvcY5BS/giphy.mp4"],
    ]);
  });
});
