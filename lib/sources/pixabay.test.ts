import { describe, expect, it } from "vitest";
import { createPixabay } from "@/lib/sources/pixabay";
import { fixtureJson, type FixtureHandler } from "@/tests/support/source-test-server";
import { adapterPerTest, expectRequest, expectSourceError, searchRequest, walkPages } from "@/tests/support/source-test-kit";

const KEY = "13197033-03eec42c293d2323112b4cca6";

/** Answers like pixabay.com/api: "aurora" has 150 image hits (5 served on 2 pages) and 2 videos. */
const pixabayApi: FixtureHandler = ({ path, params }) => {
  if (params.get("key") !== KEY) return { status: 400, body: "[ERROR 400] Invalid API key." };
  if (params.get("q") !== "aurora") return { body: { total: 0, totalHits: 0, hits: [] } };
  if (path === "/api/")
    return { body: fixtureJson(params.get("page") === "2" ? "pixabay-images-page2.json" : "pixabay-images-page1.json") };
  if (path === "/api/videos/") return { body: fixtureJson("pixabay-videos.json") };
  return undefined;
};

const pixabayWith = adapterPerTest((server) => {
  server.context.key = KEY;
  return createPixabay({ id: "pixabay", name: "Pixabay", apiUrl: `${server.origin}/api` });
});

describe("Pixabay adapter", () => {
  it("searches photos with the key and safe search as query parameters and normalizes the hits", async () => {
    const { source, server } = await pixabayWith(pixabayApi);
    const page = await source.search(searchRequest(), server.context);

    expectRequest(server, {
      path: "/api/",
      params: {
        key: KEY,
        q: "aurora",
        image_type: "photo",
        safesearch: "true",
        per_page: "100",
        page: "1",
      },
    });

    expect(page.items[0]).toEqual({
      remoteId: "image-1197753",
      mediaType: "image",
      mediaUrl: "https://pixabay.com/get/g51d0a3c2b8_1280.jpg",
      thumbnailUrl: "https://pixabay.com/get/g7b2c1f0e4a_640.jpg",
      pageUrl: "https://pixabay.com/photos/aurora-borealis-northern-lights-1197753/",
      title: "aurora borealis, northern lights, night",
      author: "Noel_Bauza",
      license: "Pixabay Content License",
      licenseUrl: "https://pixabay.com/service/license-summary/",
    });
    expect(page.items.map((i) => i.title)).toEqual(["aurora borealis, northern lights, night", "aurora, iceland, landscape", undefined]);
    // An images job walks one phase (images), so its cursor carries no phase.
    expect(page.nextCursor).toBe("2");
  });

  it("maps safe search off to safesearch=false", async () => {
    const { source, server } = await pixabayWith(pixabayApi);
    await source.search(searchRequest({ safeSearch: false }), server.context);
    expect(server.requests[0].params.get("safesearch")).toBe("false");
  });

  it("pages until totalHits and resumes inside a page cut by the limit", async () => {
    const { source, server } = await pixabayWith(pixabayApi);
    const { ids, cursors } = await walkPages(source, searchRequest({ limit: 2 }), server.context);
    expect(cursors).toEqual(["1:2", "2", null]);
    expect(server.requests.map((r) => r.params.get("page"))).toEqual(["1", "1", "2"]);
    expect(ids).toEqual(["image-1197753", "image-3894801", "image-5041250", "image-6770321", "image-7011890"]);
  });

  it("searches videos at /api/videos/, taking the large rendition or the next one when large is empty", async () => {
    const { source, server } = await pixabayWith(pixabayApi);
    const page = await source.search(searchRequest({ mediaTypes: "videos", safeSearch: false }), server.context);
    expect(server.requests[0].path).toBe("/api/videos/");
    expect(Object.fromEntries(server.requests[0].params)).toEqual({
      key: KEY,
      q: "aurora",
      safesearch: "false",
      per_page: "100",
      page: "1",
    });
    expect(page.items).toEqual([
      {
        remoteId: "video-27669",
        mediaType: "video",
        mediaUrl: "https://cdn.pixabay.com/video/2019/10/09/27669-365224683_large.mp4",
        thumbnailUrl: "https://cdn.pixabay.com/video/2019/10/09/27669-365224683_large.jpg",
        pageUrl: "https://pixabay.com/videos/id-27669/",
        title: "aurora, northern lights, timelapse",
        author: "motionstock",
        license: "Pixabay Content License",
        licenseUrl: "https://pixabay.com/service/license-summary/",
      },
      expect.objectContaining({ remoteId: "video-28860", mediaUrl: "https://cdn.pixabay.com/video/2019/11/18/28860-374240433_medium.mp4" }),
    ]);
    expect(page.nextCursor).toBeNull();
  });

  it("for both media types walks the image pages, then the videos", async () => {
    const { source, server } = await pixabayWith(pixabayApi);
    const { ids } = await walkPages(source, searchRequest({ mediaTypes: "both" }), server.context, { maxCalls: 10 });
    expect(server.requests.map((r) => `${r.path}?page=${r.params.get("page")}`)).toEqual([
      "/api/?page=1",
      "/api/?page=2",
      "/api/videos/?page=1",
    ]);
    expect(ids.slice(-3)).toEqual(["image-7011890", "video-27669", "video-28860"]);
  });

  it("finishes on a search without results", async () => {
    const { source, server } = await pixabayWith(pixabayApi);
    expect(await source.search(searchRequest({ query: "qqqzzz" }), server.context)).toEqual({ items: [], nextCursor: null });
  });

  it("refuses to search without a key", async () => {
    const { source, server } = await pixabayWith(pixabayApi);
    await expectSourceError(source.search(searchRequest(), { ...server.context, key: "  " }), /^Pixabay: no API key configured$/);
    expect(server.requests).toHaveLength(0);
  });

  it("drops only a hit without the fields it maps, naming it as its item would be", async () => {
    const broken = fixtureJson<{ hits: Record<string, unknown>[] }>("pixabay-images-page1.json");
    delete broken.hits[2].largeImageURL;
    const { source, server } = await pixabayWith(() => ({ body: broken }));
    const page = await source.search(searchRequest(), server.context);
    expect(page.items.map((i) => i.remoteId)).toEqual(["image-1197753", "image-3894801"]);
    expect(page.dropped).toEqual([{ remoteId: "image-5041250", reason: "a malformed record (missing largeImageURL)" }]);
  });

  it("drops a video hit without any rendition URL, with the reason", async () => {
    const body = fixtureJson<{ hits: { videos: Record<string, { url: string }> }[] }>("pixabay-videos.json");
    for (const rendition of Object.values(body.hits[0].videos)) rendition.url = "";
    const { source, server } = await pixabayWith(() => ({ body }));
    const page = await source.search(searchRequest({ mediaTypes: "videos" }), server.context);
    expect(page.items.map((i) => i.remoteId)).toEqual(["video-28860"]);
    expect(page.dropped).toEqual([{ remoteId: "video-27669", reason: "no video rendition with a URL" }]);
  });

  it("reports the 400 Pixabay answers a wrong key with as a rejected key", async () => {
    const { source, server } = await pixabayWith(pixabayApi);
    const rejected = await expectSourceError(
      source.search(searchRequest(), { ...server.context, key: "wrong" }),
      /^Pixabay: API key rejected \(400\)$/,
    );
    expect(rejected.retryable).toBe(false);
    expect(server.requests[0].params.get("key")).toBe("wrong");
  });
});

// A real response, recorded by someone else: an image search pasted whole into irohitb/images-map's
// documentation/pixabay.md (2021-01-22; see tests/fixtures/sources/pixabay-recorded-search.provenance.md).
describe("Pixabay adapter on a recorded response", () => {
  type Hit = { id: number; user: string; largeImageURL: string; webformatURL: string; imageWidth: number };
  const recorded = () => fixtureJson<{ total: number; totalHits: number; hits: Hit[] }>("pixabay-recorded-search.json");

  it("turns each of the 3 recorded photo hits into an item with the largest URL the key gets, dropping none", async () => {
    const { source, server } = await pixabayWith(({ path }) => (path === "/api/" ? { body: recorded() } : undefined));
    const page = await source.search(searchRequest(), server.context);
    const hits = recorded().hits;
    expect(hits).toHaveLength(3);
    expect(page.items).toHaveLength(3);
    expect(page.dropped).toBeUndefined();
    // No imageURL / fullHDURL without full API access: largeImageURL (1280 px) is the largest offered.
    expect(page.items.map((i) => i.mediaUrl)).toEqual(hits.map((h) => h.largeImageURL));
    expect(page.items[0]).toEqual({
      remoteId: "image-4910149",
      mediaType: "image",
      mediaUrl: hits[0].largeImageURL,
      thumbnailUrl: hits[0].webformatURL,
      pageUrl: "https://pixabay.com/photos/daffodils-spring-2020-03-07-garden-4910149/",
      title: "daffodils, spring, 2020-03-07",
      author: "Meatle",
      license: "Pixabay Content License",
      licenseUrl: "https://pixabay.com/service/license-summary/",
    });
    expect(page.items.map((i) => i.author)).toEqual(hits.map((h) => h.user));
    expect(page.nextCursor).toBeNull();
  });

  it("prefers the original (imageURL), then fullHDURL, when a full-access key gets them", async () => {
    const [first, second] = recorded().hits;
    // Copies of recorded hits changed in this test only, as full API access would answer.
    const full = [
      { ...first, imageURL: "https://pixabay.com/get/original.jpg", fullHDURL: "https://pixabay.com/get/hd_1920.jpg" },
      { ...second, fullHDURL: "https://pixabay.com/get/hd2_1920.jpg" },
    ];
    const { source, server } = await pixabayWith(() => ({ body: { total: 2, totalHits: 2, hits: full } }));
    const page = await source.search(searchRequest(), server.context);
    expect(page.items.map((i) => i.mediaUrl)).toEqual(["https://pixabay.com/get/original.jpg", "https://pixabay.com/get/hd2_1920.jpg"]);
  });
});
