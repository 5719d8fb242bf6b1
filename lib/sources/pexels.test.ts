import { describe, expect, it } from "vitest";
import { createPexels } from "@/lib/sources/pexels";
import { fixtureJson, type FixtureHandler } from "@/tests/support/source-test-server";
import { adapterPerTest, expectRequest, expectSourceError, searchRequest, walkPages } from "@/tests/support/source-test-kit";

const KEY = "563492ad6f91700001000001test";

/** Answers like api.pexels.com: "aurora" has 5 photos on 2 pages and 3 videos on 1 page. */
const pexelsApi: FixtureHandler = ({ path, params, headers }) => {
  if (headers.authorization !== KEY) return { status: 401, body: { error: "Authorization field missing" } };
  if (params.get("query") !== "aurora") return { body: { page: 1, per_page: 80, total_results: 0, photos: [], videos: [] } };
  if (path === "/v1/search")
    return { body: fixtureJson(params.get("page") === "2" ? "pexels-photos-page2.json" : "pexels-photos-page1.json") };
  if (path === "/videos/search") return { body: fixtureJson("pexels-videos.json") };
  return undefined;
};

const pexelsWith = adapterPerTest((server) => {
  server.context.key = KEY;
  return createPexels({ id: "pexels", name: "Pexels", apiUrl: `${server.origin}/` });
});

describe("Pexels adapter", () => {
  it("searches photos with the key in the Authorization header and normalizes them", async () => {
    const { source, server } = await pexelsWith(pexelsApi);
    const page = await source.search(searchRequest(), server.context);

    const sent = expectRequest(server, { path: "/v1/search", params: { query: "aurora", per_page: "80", page: "1" } });
    expect(sent.headers.authorization).toBe(KEY);

    expect(page.items[0]).toEqual({
      remoteId: "photo-1423600",
      mediaType: "image",
      mediaUrl: "https://images.pexels.com/photos/1423600/pexels-photo-1423600.jpeg",
      thumbnailUrl: "https://images.pexels.com/photos/1423600/pexels-photo-1423600.jpeg?auto=compress&cs=tinysrgb&h=350",
      pageUrl: "https://www.pexels.com/photo/aurora-borealis-1423600/",
      title: "Green aurora over a snowy fjord",
      author: "Tobias Bjørkli",
      license: "Pexels License",
      licenseUrl: "https://www.pexels.com/license/",
    });
    // An empty alt falls back to the words of the page URL.
    expect(page.items.map((i) => i.title)).toEqual([
      "Green aurora over a snowy fjord",
      "Northern lights over mountains",
      "Purple aurora above pine trees",
    ]);
    // An images job walks one phase (photos), so its cursor carries no phase.
    expect(page.nextCursor).toBe("2");
  });

  it("follows next_page and stops on the page without one", async () => {
    const { source, server } = await pexelsWith(pexelsApi);
    const last = await source.search(searchRequest({ cursor: "2" }), server.context);
    expect(server.requests[0].params.get("page")).toBe("2");
    expect(last.items.map((i) => [i.remoteId, i.title])).toEqual([
      ["photo-4577791", "Aurora in Iceland"],
      ["photo-5031710", undefined],
    ]);
    expect(last.nextCursor).toBeNull();
  });

  it("stops at the limit and resumes inside the page without losing results", async () => {
    const { source, server } = await pexelsWith(pexelsApi);
    const { ids, cursors } = await walkPages(source, searchRequest({ limit: 2 }), server.context);
    expect(cursors).toEqual(["1:2", "2", null]);
    expect(ids).toEqual(["photo-1423600", "photo-3225517", "photo-1933239", "photo-4577791", "photo-5031710"]);
  });

  it("searches videos for a videos job, taking the largest MP4 and skipping stream-only videos", async () => {
    const { source, server } = await pexelsWith(pexelsApi);
    const page = await source.search(searchRequest({ mediaTypes: "videos" }), server.context);
    expect(server.requests.map((r) => r.path)).toEqual(["/videos/search"]);
    expect(Object.fromEntries(server.requests[0].params)).toEqual({ query: "aurora", per_page: "80", page: "1" });
    expect(page.items).toEqual([
      {
        remoteId: "video-1526909",
        mediaType: "video",
        mediaUrl: "https://videos.pexels.com/video-files/1526909/1526909-hd_1920_1080_24fps.mp4",
        thumbnailUrl: "https://images.pexels.com/videos/1526909/free-video-1526909.jpg?auto=compress&cs=tinysrgb&fit=crop&h=630&w=1200",
        pageUrl: "https://www.pexels.com/video/aurora-over-a-frozen-lake-1526909/",
        title: "Aurora over a frozen lake",
        author: "Ruvim Miksanskiy",
        license: "Pexels License",
        licenseUrl: "https://www.pexels.com/license/",
      },
      expect.objectContaining({
        remoteId: "video-3129671",
        mediaUrl: "https://videos.pexels.com/video-files/3129671/3129671-uhd_3840_2160_30fps.mp4",
      }),
    ]);
    expect(page.dropped).toEqual([{ remoteId: "video-2098989", reason: "no MP4 file (only an HLS stream)" }]);
    expect(page.nextCursor).toBeNull();
  });

  it("for both media types walks the photo pages, then the videos", async () => {
    const { source, server } = await pexelsWith(pexelsApi);
    const { ids } = await walkPages(source, searchRequest({ mediaTypes: "both" }), server.context, { maxCalls: 10 });
    expect(server.requests.map((r) => `${r.path}?page=${r.params.get("page")}`)).toEqual([
      "/v1/search?page=1",
      "/v1/search?page=2",
      "/videos/search?page=1",
    ]);
    expect(ids).toHaveLength(7);
    expect(ids.slice(-2)).toEqual(["video-1526909", "video-3129671"]);
  });

  it("writes the phase into the cursor of a job that walks photos, then videos", async () => {
    const { source, server } = await pexelsWith(pexelsApi);
    const { cursors } = await walkPages(source, searchRequest({ mediaTypes: "both", limit: 2 }), server.context, { maxCalls: 10 });
    expect(cursors).toEqual(["photos:1:2", "photos:2", "videos:1", "videos:1:2", null]);
  });

  it("finishes on a search without results and rejects cursors it did not issue", async () => {
    const { source, server } = await pexelsWith(pexelsApi);
    expect(await source.search(searchRequest({ query: "qqqzzz" }), server.context)).toEqual({ items: [], nextCursor: null });
    await expectSourceError(source.search(searchRequest({ cursor: "videos:1" }), server.context), /^Pexels: invalid cursor "videos:1"$/);
    await expectSourceError(source.search(searchRequest({ cursor: "photos:0" }), server.context), /^Pexels: invalid cursor "photos:0"$/);
    expect(server.requests).toHaveLength(1);
  });

  it("refuses to search without a key", async () => {
    const { source, server } = await pexelsWith(pexelsApi);
    const error = await expectSourceError(
      source.search(searchRequest(), { ...server.context, key: undefined }),
      /^Pexels: no API key configured$/,
    );
    expect(error.retryable).toBe(false);
    expect(server.requests).toHaveLength(0);
  });

  it("reports the 403 Pexels answers a refused key with as a rejected key", async () => {
    // Recorded by pexels-go: 403 {"error": "Access to this API has been disallowed"} (401 is in the failure-contract table).
    const { source, server } = await pexelsWith(() => ({ status: 403, body: { error: "Access to this API has been disallowed" } }));
    const rejected = await expectSourceError(source.search(searchRequest(), server.context), /^Pexels: API key rejected \(403\)$/);
    expect(rejected.retryable).toBe(false);
  });

  it("drops only a record without the fields it maps, naming it as its item would be", async () => {
    const broken = fixtureJson<{ photos: Record<string, unknown>[] }>("pexels-photos-page1.json");
    delete (broken.photos[1].src as Record<string, unknown>).original;
    const { source, server } = await pexelsWith(() => ({ body: broken }));
    const page = await source.search(searchRequest(), server.context);
    expect(page.items.map((i) => i.remoteId)).toEqual(["photo-1423600", "photo-1933239"]);
    expect(page.dropped).toEqual([{ remoteId: "photo-3225517", reason: "a malformed record (missing src.original)" }]);
  });
});

// The Pexels documentation's photo search response, verbatim (as kept in irohitb/images-map's documentation/pexels.md,
// 2021-01-22; see tests/fixtures/sources/pexels-recorded-search.provenance.md).
describe("Pexels adapter on a recorded response", () => {
  type Photo = { id: number; photographer: string; src: Record<string, string> };
  const recorded = () => fixtureJson<{ photos: Photo[]; next_page: string }>("pexels-recorded-search.json");

  it("turns the recorded photo into one item with the original file, the photographer and the Pexels License", async () => {
    const { source, server } = await pexelsWith(({ path }) => (path === "/v1/search" ? { body: recorded() } : undefined));
    const page = await source.search(searchRequest(), server.context);
    expect(recorded().photos).toHaveLength(1);
    expect(page.items).toHaveLength(1);
    expect(page.dropped).toBeUndefined();
    expect(page.items[0]).toEqual({
      remoteId: "photo-3031075",
      mediaType: "image",
      // src.original (3686x4607), not large2x or large (940 px wide web sizes)
      mediaUrl: "https://images.pexels.com/photos/3031075/pexels-photo-3031075.jpeg",
      thumbnailUrl: "https://images.pexels.com/photos/3031075/pexels-photo-3031075.jpeg?auto=compress&cs=tinysrgb&h=350",
      pageUrl: "https://www.pexels.com/photo/grey-cliff-beside-ocean-3031075/",
      // no alt in this response: the page URL's slug stands in
      title: "Grey cliff beside ocean",
      author: "Simon Clayton",
      license: "Pexels License",
      licenseUrl: "https://www.pexels.com/license/",
    });
    // next_page is set (total_results 10000, per_page 1): the search goes on.
    expect(page.nextCursor).not.toBeNull();
  });
});

// A video search and a single video recorded by the pexels-go client library for its tests
// (j-mnr/pexels-go cases_test.go; see tests/fixtures/sources/pexels-recorded-video-search.provenance.md).
describe("Pexels adapter on recorded video responses (j-mnr/pexels-go)", () => {
  type File = { quality: string; width: number | null; height: number | null; link: string };
  type Video = { id: number; url: string; image: string; user: { name: string }; video_files: File[] };
  const search = () => fixtureJson<{ videos: Video[]; next_page: string }>("pexels-recorded-video-search.json");
  const video = () => fixtureJson<Video>("pexels-recorded-video.json");

  it("turns each of the 3 recorded videos of a search into a video item with its MP4, author and the Pexels License", async () => {
    const { source, server } = await pexelsWith(({ path }) => (path === "/videos/search" ? { body: search() } : undefined));
    const page = await source.search(searchRequest({ mediaTypes: "videos" }), server.context);
    const videos = search().videos;
    expect([videos.length, page.items.length, page.dropped]).toEqual([3, 3, undefined]);
    expect(page.items.map((i) => [i.remoteId, i.mediaType, i.author])).toEqual([
      ["video-3077158", "video", "MagdaEhlers"],
      ["video-3191251", "video", "Pressmaster"],
      ["video-2795691", "video", "EvgeniaKirpichnikova"],
    ]);
    expect(page.items.map((i) => i.mediaUrl)).toEqual(videos.map((v) => v.video_files[0].link));
    expect(page.items[2]).toEqual({
      remoteId: "video-2795691",
      mediaType: "video",
      mediaUrl:
        "https://player.vimeo.com/external/353554745.hd.mp4?s=e7aa9bc30aaa1618d0f1f076bec2ce45db61300d&profile_id=174&oauth2_token_id=57447761",
      thumbnailUrl: "https://images.pexels.com/videos/2795691/free-video-2795691.jpg?auto=compress&cs=tinysrgb&fit=crop&h=630&w=1200",
      pageUrl: "https://www.pexels.com/uk-ua/video/2795691/",
      // the page URL has no words, only the id: no title
      title: undefined,
      author: "EvgeniaKirpichnikova",
      license: "Pexels License",
      licenseUrl: "https://www.pexels.com/license/",
    });
    // next_page is set (page 4 of 2879 results): the search goes on.
    expect(page.nextCursor).toBe("2");
  });

  it("takes the largest MP4 of a recorded video (1080x1920), never its HLS playlist labelled video/mp4", async () => {
    const recorded = video();
    const body = { page: 1, per_page: 1, total_results: 1, videos: [recorded] };
    const { source, server } = await pexelsWith(({ path }) => (path === "/videos/search" ? { body } : undefined));
    const page = await source.search(searchRequest({ mediaTypes: "videos" }), server.context);
    // 6 files: 5 MP4s (1080x1920, 720x1280, 540x960, 360x640, 240x426) and the "hls" .m3u8 entry
    expect(recorded.video_files.map((f) => f.quality)).toEqual(["hd", "sd", "sd", "hd", "sd", "hls"]);
    expect(page.items).toHaveLength(1);
    expect(page.items[0]).toMatchObject({
      remoteId: "video-2499611",
      mediaType: "video",
      mediaUrl:
        "https://player.vimeo.com/external/342571552.hd.mp4?s=6aa6f164de3812abadff3dde86d19f7a074a8a66&profile_id=175&oauth2_token_id=57447761",
      pageUrl: "https://www.pexels.com/video/2499611/",
      author: "JoeyFarina",
    });
  });
});
