import { describe, expect, it } from "vitest";
import { createImgur } from "@/lib/sources/imgur";
import { fixtureJson, type FixtureHandler } from "@/tests/support/source-test-server";
import {
  adapterPerTest,
  expectRequest,
  expectSourceError,
  notJson,
  repliesBy,
  searchRequest,
  walkPages,
} from "@/tests/support/source-test-kit";

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

    const sent = expectRequest(server, { path: "/3/gallery/search/top/all/0", params: { q: "aurora" } });
    expect(sent.headers.authorization).toBe(`Client-ID ${CLIENT_ID}`);

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
    expect(page.nextCursor).toBe("1");
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
    const { ids, cursors } = await walkPages(source, searchRequest({ limit: 2 }), server.context, { maxCalls: 10 });
    // The first album holds the first 2 items, so the next call resumes after that 1 record ("0:1").
    expect(cursors).toEqual(["0:1", "1", "2", null]);
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
    // The former "<phase>:<page>" cursor has no phase any more.
    await expectSourceError(source.search(searchRequest({ cursor: "gallery:1" }), server.context), /^Imgur: invalid cursor "gallery:1"$/);
  });

  it("reports HTTP failures, malformed JSON and missing fields as SourceErrors naming Imgur, and drops only a malformed image", async () => {
    const broken = fixtureJson<{ data: { images?: Record<string, unknown>[] }[] }>("imgur-search-page0.json");
    delete broken.data[0].images![1].link;
    const { source, server } = await imgurWith(
      repliesBy("q", {
        badkey: { status: 401, body: { data: { error: "Authentication required" }, success: false, status: 401 } },
        throttled: {
          status: 429,
          headers: { "retry-after": "10" },
          body: { data: { error: "Too Many Requests" }, success: false, status: 429 },
        },
        down: { status: 500, body: { data: { error: "Imgur is over capacity!" }, success: false, status: 500 } },
        badjson: notJson('{"data": ['),
        nodata: { body: { success: true, status: 200 } },
        nolink: { body: broken },
      }),
    );
    const search = (query: string) => source.search(searchRequest({ query }), server.context);

    await expectSourceError(search("badkey"), /^Imgur: API key rejected \(401\)$/);
    const throttled = await expectSourceError(search("throttled"), /^Imgur: HTTP 429 from 127\.0\.0\.1:\d+$/);
    expect([throttled.retryable, throttled.retryAfterMs]).toEqual([true, 10_000]);
    expect((await expectSourceError(search("down"), /^Imgur: HTTP 500 from /)).retryable).toBe(true);
    expect((await expectSourceError(search("gone"), /^Imgur: HTTP 404 from /)).retryable).toBe(false);
    await expectSourceError(search("badjson"), /^Imgur: malformed JSON from 127\.0\.0\.1:\d+$/);
    await expectSourceError(search("nodata"), /^Imgur: malformed response \(missing data\)$/);
    // One image without a link is dropped with its reason; the rest of its album and of the page is kept.
    const nolink = await search("nolink");
    expect(nolink.items.map((i) => i.remoteId)).toEqual(["kT8a1Zq", "Qw4zR8m"]);
    expect(nolink.dropped).toEqual([
      { remoteId: "b7Yc2Lp", reason: "a malformed image (missing link)" },
      { remoteId: "NsFw001", reason: "marked nsfw (safe search is on)" },
      { remoteId: "Vd5mP2x", reason: "a video (the job asks for images only)" },
    ]);
  });

  it("reads the rest of an album the search lists only in part (images_count > images), in one request per album", async () => {
    const [album] = fixtureJson<{ data: Record<string, unknown>[] }>("imgur-search-page0.json").data as {
      images: Record<string, unknown>[];
    }[];
    const [first, second] = album.images;
    const long = { ...album, id: "LongAlb", images_count: 4 };
    const all = [
      first,
      second,
      { ...first, id: "third01", link: "https://i.imgur.com/third01.png", type: "image/png" },
      { ...first, id: "fourth1", link: "https://i.imgur.com/fourth1.jpg" },
    ];
    const gone = { ...album, id: "GoneAlb", images_count: 5, images: [{ ...first, id: "goneImg" }] };
    const badList = { ...album, id: "BadList", images_count: 3, images: [{ ...first, id: "badImg1" }] };
    const { source, server } = await imgurWith(({ path }) => {
      if (path === "/3/gallery/search/top/all/0") return { body: { data: [long, gone, badList], success: true, status: 200 } };
      if (path === "/3/album/LongAlb/images") return { body: { data: all, success: true, status: 200 } };
      if (path === "/3/album/BadList/images") return { body: { data: { error: "Internal error" }, success: false, status: 200 } };
      return undefined;
    });
    const page = await source.search(searchRequest({ safeSearch: false }), server.context);

    expect(server.requests.map((r) => r.path)).toEqual([
      "/3/gallery/search/top/all/0",
      "/3/album/LongAlb/images",
      "/3/album/GoneAlb/images",
      "/3/album/BadList/images",
    ]);
    expect(server.requests[1].headers.authorization).toBe(`Client-ID ${CLIENT_ID}`);
    expect(page.items.map((i) => [i.remoteId, i.mediaUrl, i.pageUrl])).toEqual([
      ["kT8a1Zq", "https://i.imgur.com/kT8a1Zq.jpg", "https://imgur.com/gallery/LongAlb"],
      ["b7Yc2Lp", "https://i.imgur.com/b7Yc2Lp.gif", "https://imgur.com/gallery/LongAlb"],
      ["third01", "https://i.imgur.com/third01.png", "https://imgur.com/gallery/LongAlb"],
      ["fourth1", "https://i.imgur.com/fourth1.jpg", "https://imgur.com/gallery/LongAlb"],
      // the album whose image list is gone keeps the image the search listed
      ["goneImg", "https://i.imgur.com/kT8a1Zq.jpg", "https://imgur.com/gallery/GoneAlb"],
      // so does the album whose image list is malformed: only that album loses its other images, not the page
      ["badImg1", "https://i.imgur.com/kT8a1Zq.jpg", "https://imgur.com/gallery/BadList"],
    ]);
    expect(page.dropped).toEqual([
      { remoteId: "GoneAlb", reason: "4 more images of the album, not listed by the search: the album's image list is gone (404)" },
      {
        remoteId: "BadList",
        reason:
          "2 more images of the album, not listed by the search: a malformed image list (data: Invalid input: expected array, received object)",
      },
    ]);
  });

  it("drops an image whose file is of a format Trawl does not store, and an album without images", async () => {
    const [album, single] = fixtureJson<{ data: Record<string, unknown>[] }>("imgur-search-page0.json").data;
    const heic = { ...single, id: "Heic001", type: "image/heic", link: "https://i.imgur.com/Heic001.heic" };
    const empty = { ...album, id: "Empty01", images_count: 0, images: [] };
    const { source, server } = await imgurWith(() => ({ body: { data: [heic, empty, single], success: true, status: 200 } }));
    const page = await source.search(searchRequest(), server.context);
    expect(page.items.map((i) => i.remoteId)).toEqual(["Qw4zR8m"]);
    expect(page.dropped).toEqual([
      { remoteId: "Heic001", reason: "a file of type image/heic, which Trawl does not store" },
      { remoteId: "Empty01", reason: "an album without images" },
    ]);
  });
});

describe("Imgur adapter on a recorded gallery search page (NazimHAli/imgur-explorer src/__tests__/fixtures/imgurResponse.ts)", () => {
  type RecordedImage = { id: string; type: string; link: string; mp4?: string };
  type Recorded = { data: { id: string; title: string; account_url: string; images_count: number; images: RecordedImage[] }[] };
  const recorded = () => fixtureJson<Recorded>("imgur-recorded-gallery-search.json");

  it("turns the 87 listed images of the 60 albums into items, and asks for the rest of the 11 albums listed in part", async () => {
    const { source, server } = await imgurWith(({ path }) => (path === "/3/gallery/search/top/all/0" ? { body: recorded() } : undefined));
    const page = await source.search(searchRequest({ query: "meow", mediaTypes: "both", safeSearch: false, limit: 500 }), server.context);
    const albums = recorded().data;
    const partial = albums.filter((a) => a.images_count > a.images.length);

    // 60 records (all albums), 87 images listed (82 JPEG, 2 PNG, 3 MP4 videos) of the 234 the albums hold.
    expect([albums.length, albums.flatMap((a) => a.images).length, albums.reduce((n, a) => n + a.images_count, 0)]).toEqual([60, 87, 234]);
    expect(page.items).toHaveLength(87);
    expect(page.items.filter((i) => i.mediaType === "video").map((i) => i.remoteId)).toEqual(["2sTUP1g", "plXwZJv", "VudT0eK"]);
    // The image lists of the 11 albums listed in part are asked for (not recorded: here they answer 404), and the
    // 147 images the search left out are reported, album by album.
    expect(server.requests.slice(1).map((r) => r.path)).toEqual(partial.map((a) => `/3/album/${a.id}/images`));
    expect(page.dropped).toEqual(
      partial.map((a) => ({
        remoteId: a.id,
        reason: `${a.images_count - a.images.length} more images of the album, not listed by the search: the album's image list is gone (404)`,
      })),
    );
    expect(partial.reduce((n, a) => n + a.images_count - a.images.length, 0)).toBe(147);

    expect(page.items[0]).toEqual({
      remoteId: "fLfIhwR",
      mediaType: "image",
      mediaUrl: "https://i.imgur.com/fLfIhwR.jpg",
      pageUrl: "https://imgur.com/gallery/0ZQ9e7q",
      // untitled images take the album's title; the author is the account that posted the album
      title: "Good night you cool cats and kittens",
      author: "thatcrazycatmom",
    });
    expect(page.items.find((i) => i.remoteId === "2sTUP1g")).toMatchObject({
      mediaUrl: "https://i.imgur.com/2sTUP1g.mp4",
      pageUrl: "https://imgur.com/gallery/FpzUfOt",
    });
    expect(page.nextCursor).toBe("1");
  });

  it("gives an images job the 84 still images and reports the 3 videos", async () => {
    const { source, server } = await imgurWith(({ path }) => (path === "/3/gallery/search/top/all/0" ? { body: recorded() } : undefined));
    const page = await source.search(searchRequest({ query: "meow", limit: 500 }), server.context);
    expect(page.items).toHaveLength(84);
    expect(page.dropped?.filter((d) => d.reason === "a video (the job asks for images only)").map((d) => d.remoteId)).toEqual([
      "2sTUP1g",
      "plXwZJv",
      "VudT0eK",
    ]);
  });
});
