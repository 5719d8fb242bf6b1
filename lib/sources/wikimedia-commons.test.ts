import { describe, expect, it } from "vitest";
import { fixtureJson, type FixtureHandler } from "@/tests/support/source-test-server";
import { adapterPerTest, expectRequest, expectSourceError, requestWith, walkPages } from "@/tests/support/source-test-kit";
import { createWikimediaCommons } from "@/lib/sources/wikimedia-commons";

const API_PATH = "/w/api.php";

const request = requestWith({ query: "red fox", limit: 50 });

/** Answers like Commons: bitmap search in two batches (continue at offset 3), one video batch. */
const commonsApi: FixtureHandler = ({ path, params }) => {
  if (path !== API_PATH) return undefined;
  const search = params.get("gsrsearch");
  if (search === "filetype:bitmap red fox") {
    return { body: fixtureJson(params.get("gsroffset") === "3" ? "commons-bitmap-page2.json" : "commons-bitmap-page1.json") };
  }
  if (search === "filetype:video red fox") return { body: fixtureJson("commons-video.json") };
  return { body: fixtureJson("commons-no-results.json") };
};

const commonsWith = adapterPerTest((server) => createWikimediaCommons({ apiUrl: `${server.origin}${API_PATH}` }));

describe("Wikimedia Commons adapter", () => {
  it("sends the documented Action API query and normalizes the results in search order", async () => {
    const { source, server } = await commonsWith(commonsApi);
    const page = await source.search(request(), server.context);

    expectRequest(server, {
      params: {
        action: "query",
        format: "json",
        formatversion: "2",
        generator: "search",
        gsrnamespace: "6",
        gsrsearch: "filetype:bitmap red fox",
        gsrlimit: "50",
        prop: "imageinfo",
        iiprop: "url|size|mime|extmetadata",
        iiurlwidth: "320",
        iiextmetadatafilter: "Artist|LicenseShortName|LicenseUrl|ImageDescription",
      },
    });

    expect(page.items).toEqual([
      {
        remoteId: "1873945",
        mediaType: "image",
        mediaUrl: "https://upload.wikimedia.org/wikipedia/commons/1/16/Vulpes_vulpes_laying_in_snow.jpg",
        thumbnailUrl:
          "https://upload.wikimedia.org/wikipedia/commons/thumb/1/16/Vulpes_vulpes_laying_in_snow.jpg/320px-Vulpes_vulpes_laying_in_snow.jpg",
        pageUrl: "https://commons.wikimedia.org/wiki/File:Vulpes_vulpes_laying_in_snow.jpg",
        title: "Vulpes vulpes laying in snow",
        author: "Jonathan Fox & Co",
        license: "CC BY 2.0",
        licenseUrl: "https://creativecommons.org/licenses/by/2.0",
      },
      {
        remoteId: "4211573",
        mediaType: "image",
        mediaUrl: "https://upload.wikimedia.org/wikipedia/commons/4/4e/Fox_study_6.jpg",
        thumbnailUrl: "https://upload.wikimedia.org/wikipedia/commons/thumb/4/4e/Fox_study_6.jpg/320px-Fox_study_6.jpg",
        pageUrl: "https://commons.wikimedia.org/wiki/File:Fox_study_6.jpg",
        title: "Fox study 6",
        author: "No machine-readable author provided. Malene assumed (based on copyright claims).",
        license: "CC BY-SA 3.0",
        licenseUrl: "https://creativecommons.org/licenses/by-sa/3.0",
      },
      {
        // extmetadata is [] for a file without metadata (PHP's empty map)
        remoteId: "99120334",
        mediaType: "image",
        mediaUrl: "https://upload.wikimedia.org/wikipedia/commons/a/a2/Fox_track_%28Vulpes_vulpes%29.png",
        thumbnailUrl:
          "https://upload.wikimedia.org/wikipedia/commons/thumb/a/a2/Fox_track_%28Vulpes_vulpes%29.png/320px-Fox_track_%28Vulpes_vulpes%29.png",
        pageUrl: "https://commons.wikimedia.org/wiki/File:Fox_track_(Vulpes_vulpes).png",
        title: "Fox track (Vulpes vulpes)",
        author: undefined,
        license: undefined,
        licenseUrl: undefined,
      },
    ]);
    // The search's continuation offset is the cursor's page (an images job walks one phase, so no phase is written).
    expect(page.nextCursor).toBe("3");
  });

  it("follows the API's continue object and stops when the batch is complete", async () => {
    const { source, server } = await commonsWith(commonsApi);
    const first = await source.search(request(), server.context);
    const second = await source.search(request({ cursor: first.nextCursor }), server.context);

    expect(server.requests[1].params.get("gsroffset")).toBe("3");
    expect(server.requests[1].params.get("continue")).toBe("gsroffset||");
    expect(second.items.map((i) => i.remoteId)).toEqual(["52086672"]);
    expect(second.items[0]).toMatchObject({ title: "Renard roux - Red fox (Vulpes vulpes)", license: "CC0", author: "Jean-Pierre Dupont" });
    expect(second.nextCursor).toBeNull();
  });

  it("asks for no more than the limit (and at most 50 a batch)", async () => {
    const { source, server } = await commonsWith(commonsApi);
    await source.search(request({ limit: 2 }), server.context);
    await source.search(request({ limit: 500 }), server.context);
    expect(server.requests.map((r) => r.params.get("gsrlimit"))).toEqual(["2", "50"]);
  });

  it("searches videos only for a videos job, mapping application/ogg to video", async () => {
    const { source, server } = await commonsWith(commonsApi);
    const page = await source.search(request({ mediaTypes: "videos" }), server.context);

    expect(server.requests[0].params.get("gsrsearch")).toBe("filetype:video red fox");
    expect(page.items.map((i) => [i.remoteId, i.mediaType, i.title, i.author])).toEqual([
      ["31415926", "video", "Red fox hunting in snow", "Wildlife Films"],
      ["27182818", "video", "Fox cub play", "US Fish and Wildlife Service"],
    ]);
    expect(page.nextCursor).toBeNull();
  });

  it("for both media types walks every bitmap batch, then the videos", async () => {
    const { source, server } = await commonsWith(commonsApi);
    const walked = await walkPages(source, request({ mediaTypes: "both" }), server.context, { maxCalls: 10 });
    const { cursors } = walked;
    const ids = walked.items.map((i) => `${i.mediaType}:${i.remoteId}`);

    // "<phase>:<offset>": the bitmap batch at offset 3, then the videos from their start.
    expect(cursors).toEqual(["bitmap:3", "video:0", null]);

    expect(server.requests.map((r) => r.params.get("gsrsearch"))).toEqual([
      "filetype:bitmap red fox",
      "filetype:bitmap red fox",
      "filetype:video red fox",
    ]);
    expect(server.requests[2].params.has("gsroffset")).toBe(false);
    expect(ids).toEqual(["image:1873945", "image:4211573", "image:99120334", "image:52086672", "video:31415926", "video:27182818"]);
  });

  it("treats a search that matched nothing as an empty, finished result", async () => {
    const { source, server } = await commonsWith(commonsApi);
    const page = await source.search(request({ query: "zzzzqqq" }), server.context);
    expect(page).toEqual({ items: [], nextCursor: null });
  });

  it("reports HTTP failures as SourceErrors naming the source", async () => {
    const { source, server } = await commonsWith(({ params }) =>
      params.get("gsrsearch")?.includes("broken") ? { status: 500, body: "upstream failure" } : undefined,
    );
    const serverError = await expectSourceError(
      source.search(request({ query: "broken" }), server.context),
      /^Wikimedia Commons: HTTP 500 from 127\.0\.0\.1:\d+$/,
    );
    expect(serverError.status).toBe(500);
    expect(serverError.retryable).toBe(true);

    const notFound = await expectSourceError(source.search(request(), server.context), /^Wikimedia Commons: HTTP 404 from /);
    expect(notFound.retryable).toBe(false);
  });

  it("reports malformed JSON, API errors and missing fields as SourceErrors", async () => {
    const bodies: Record<string, unknown> = {
      badjson: '{"batchcomplete": true, "query": {"pages": [',
      apierror: fixtureJson("commons-error.json"),
      nopages: { batchcomplete: true, continue: { gsroffset: 3, continue: "gsroffset||" }, query: {} },
      noquery: { warnings: { main: { warnings: "Unrecognized parameter" } } },
      nourl: (() => {
        const body = fixtureJson<{ query: { pages: { imageinfo: Record<string, unknown>[] }[] } }>("commons-bitmap-page1.json");
        delete body.query.pages[1].imageinfo[0].url;
        return body;
      })(),
    };
    const { source, server } = await commonsWith(({ params }) => {
      const key = params.get("gsrsearch")!.replace("filetype:bitmap ", "");
      return { body: bodies[key], headers: { "content-type": "application/json" } };
    });
    const search = (query: string) => source.search(request({ query }), server.context);

    await expectSourceError(search("badjson"), /^Wikimedia Commons: malformed JSON from 127\.0\.0\.1:\d+$/);
    await expectSourceError(
      search("apierror"),
      /^Wikimedia Commons: API error badvalue: Unrecognized value for parameter "gsrnamespace": 99\.$/,
    );
    await expectSourceError(search("nopages"), /^Wikimedia Commons: malformed response \(missing query\.pages\)$/);
    await expectSourceError(search("noquery"), /^Wikimedia Commons: malformed response \(missing query\.pages\)$/);
    // One malformed page is dropped with its reason; the rest of the batch is kept.
    const partial = await search("nourl");
    expect(partial.items.map((i) => i.remoteId)).toEqual(["4211573", "99120334"]);
    expect(partial.dropped).toEqual([{ remoteId: "1873945", reason: "a malformed record (missing imageinfo.0.url)" }]);
  });

  it("drops pages without a file, of formats Trawl cannot store or of the other media type, with their reasons", async () => {
    const body = fixtureJson<{ query: { pages: Record<string, unknown>[] } }>("commons-bitmap-page1.json");
    const [first, second, third] = body.query.pages;
    const info = (page: Record<string, unknown>) => (page.imageinfo as Record<string, unknown>[])[0];
    delete first.imageinfo;
    info(second).mime = "image/vnd.djvu";
    info(third).mime = "video/webm";
    const { source, server } = await commonsWith(() => ({ body }));
    const page = await source.search(request(), server.context);
    expect(page.items).toEqual([]);
    expect(page.dropped).toEqual([
      { remoteId: "1873945", reason: "a image/vnd.djvu file, which Trawl cannot store" },
      { remoteId: "4211573", reason: "no file behind the page (deleted or suppressed upload)" },
      { remoteId: "99120334", reason: "a video file in the bitmap search" },
    ]);
  });

  it("maps bitmap and video search responses recorded by Wikimedia's MediaSearch tests (formatversion 1)", async () => {
    type Recorded = { query: { pages: Record<string, { pageid: number; index: number; imageinfo: { url: string; mime: string }[] }> } };
    const bitmap = fixtureJson<Recorded>("commons-recorded-search-bitmap.json");
    const video = fixtureJson<Recorded>("commons-recorded-search-video.json");
    const { source, server } = await commonsWith(({ params }) => ({
      body: params.get("gsrsearch")!.startsWith("filetype:video") ? video : bitmap,
    }));

    // Bitmaps: 40 records (all image/jpeg), 40 items in search rank (index) order, none dropped.
    const images = await source.search(request({ query: "cat" }), server.context);
    const ranked = Object.values(bitmap.query.pages).sort((a, b) => a.index - b.index);
    expect(ranked).toHaveLength(40);
    expect(images.items.map((i) => i.remoteId)).toEqual(ranked.map((p) => String(p.pageid)));
    expect(images.dropped).toBeUndefined();
    expect(images.items[0]).toEqual({
      remoteId: "12127693",
      mediaType: "image",
      // imageinfo.url is the original upload, the largest rendition offered.
      mediaUrl: "https://upload.wikimedia.org/wikipedia/commons/4/4d/Cat_November_2010-1a.jpg",
      thumbnailUrl: expect.stringMatching(/^https:\/\/upload\.wikimedia\.org\/wikipedia\/commons\/thumb\/4\/4d\//) as unknown,
      pageUrl: "https://commons.wikimedia.org/wiki/File:Cat_November_2010-1a.jpg",
      title: "Cat November 2010-1a",
      // Recorded without iiprop=extmetadata: no author or license to read.
      author: undefined,
      license: undefined,
      licenseUrl: undefined,
    });
    expect(images.nextCursor).toBe("40");

    // Videos: 40 records (application/ogg .ogv and video/webm), 40 items, none dropped.
    const videos = await source.search(request({ query: "cat", mediaTypes: "videos" }), server.context);
    const videoPages = Object.values(video.query.pages);
    expect(videoPages).toHaveLength(40);
    expect(videos.items).toHaveLength(40);
    expect(videos.dropped).toBeUndefined();
    expect(new Set(videos.items.map((i) => i.mediaType))).toEqual(new Set(["video"]));
    expect(videos.items.map((i) => i.mediaUrl).sort()).toEqual(videoPages.map((p) => p.imageinfo[0].url).sort());
  });

  it("rejects a cursor it did not issue", async () => {
    const { source, server } = await commonsWith(commonsApi);
    await expectSourceError(source.search(request({ cursor: "page-2" }), server.context), /^Wikimedia Commons: invalid cursor "page-2"$/);
    // A video-phase cursor makes no sense for an images-only job.
    await expectSourceError(source.search(request({ cursor: "video:0" }), server.context), /invalid cursor/);
    // The former cursor, a JSON object with the API's continue object, is no longer read.
    await expectSourceError(
      source.search(
        request({ mediaTypes: "both", cursor: JSON.stringify({ phase: "bitmap", continue: { gsroffset: 3 } }) }),
        server.context,
      ),
      /invalid cursor/,
    );
    expect(server.requests).toHaveLength(0);
  });
});
