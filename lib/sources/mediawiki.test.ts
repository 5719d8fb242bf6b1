import { describe, expect, it } from "vitest";
import { createMediaWiki } from "@/lib/sources/mediawiki";
import { fixtureJson, type FixtureHandler } from "@/tests/support/source-test-server";
import {
  adapterPerTest,
  expectEmpty,
  expectRequest,
  expectSourceError,
  notJson,
  repliesBy,
  requestWith,
} from "@/tests/support/source-test-kit";

const API_PATH = "/w/api.php";

const request = requestWith({ limit: 50 });

/** Answers like en.wikipedia.org: "aurora" matches 6 articles in two batches (continue at offset 4). */
const wikiApi: FixtureHandler = ({ path, params }) => {
  if (path !== API_PATH) return undefined;
  if (params.get("gsrsearch") !== "aurora") return { body: { batchcomplete: true } };
  return { body: fixtureJson(params.get("gsroffset") === "4" ? "mediawiki-search-page2.json" : "mediawiki-search-page1.json") };
};

const wikiWith = adapterPerTest((server) =>
  createMediaWiki({
    id: "wikipedia-en",
    name: "Wikipedia (English)",
    apiUrl: `${server.origin}${API_PATH}`,
    homepage: "https://en.wikipedia.org/",
    description: "Lead images of English Wikipedia articles.",
  }),
);

describe("MediaWiki adapter", () => {
  it("searches articles with pageimages and returns their lead images in search order", async () => {
    const { source, server } = await wikiWith(wikiApi);
    const page = await source.search(request(), server.context);

    expectRequest(server, {
      path: API_PATH,
      params: {
        action: "query",
        format: "json",
        formatversion: "2",
        generator: "search",
        gsrsearch: "aurora",
        gsrnamespace: "0",
        gsrlimit: "50",
        prop: "pageimages|info",
        piprop: "original|thumbnail|name",
        pithumbsize: "1280",
        pilimit: "50",
        pilicense: "any",
        inprop: "url",
      },
    });

    expect(page.items).toEqual([
      {
        remoteId: "Polarlicht_2.jpg",
        mediaType: "image",
        mediaUrl: "https://upload.wikimedia.org/wikipedia/commons/a/aa/Polarlicht_2.jpg",
        thumbnailUrl: "https://upload.wikimedia.org/wikipedia/commons/thumb/a/aa/Polarlicht_2.jpg/1280px-Polarlicht_2.jpg",
        pageUrl: "https://en.wikipedia.org/wiki/Aurora",
        title: "Aurora",
      },
      // index 2 (the disambiguation page) has no lead image.
      {
        // An SVG lead image is taken as its PNG rendering.
        remoteId: "Flag_of_Aurora,_Colorado.svg",
        mediaType: "image",
        mediaUrl:
          "https://upload.wikimedia.org/wikipedia/commons/thumb/9/9b/Flag_of_Aurora%2C_Colorado.svg/1280px-Flag_of_Aurora%2C_Colorado.svg.png",
        thumbnailUrl:
          "https://upload.wikimedia.org/wikipedia/commons/thumb/9/9b/Flag_of_Aurora%2C_Colorado.svg/1280px-Flag_of_Aurora%2C_Colorado.svg.png",
        pageUrl: "https://en.wikipedia.org/wiki/Aurora,_Colorado",
        title: "Aurora, Colorado",
      },
      expect.objectContaining({
        remoteId: "Frederic_Edwin_Church_-_Aurora_Borealis_-_Google_Art_Project.jpg",
        title: "Aurora Borealis (painting)",
      }),
    ]);
    // The search's continuation offset is the cursor's page.
    expect(page.nextCursor).toBe("4");
  });

  it("follows the API's continue object and stops when the batch is complete", async () => {
    const { source, server } = await wikiWith(wikiApi);
    const first = await source.search(request(), server.context);
    const second = await source.search(request({ cursor: first.nextCursor }), server.context);
    expect(server.requests[1].params.get("gsroffset")).toBe("4");
    expect(server.requests[1].params.get("continue")).toBe("gsroffset||");
    // The last article's lead image is an SVG without a rendering: nothing to take.
    expect(second.items.map((i) => i.remoteId)).toEqual(["Guido_Reni_-_Aurora.png"]);
    expect(second.nextCursor).toBeNull();
  });

  it("asks for no more than the limit (and at most 50 a batch)", async () => {
    const { source, server } = await wikiWith(wikiApi);
    const small = await source.search(request({ limit: 2 }), server.context);
    await source.search(request({ limit: 500 }), server.context);
    expect(server.requests.map((r) => [r.params.get("gsrlimit"), r.params.get("pilimit")])).toEqual([
      ["2", "2"],
      ["50", "50"],
    ]);
    expect(small.items.length).toBeLessThanOrEqual(2);
  });

  it("finishes on no matches", async () => {
    const { source, server } = await wikiWith(wikiApi);
    await expectEmpty(source.search(request({ query: "zzzzqqq", mediaTypes: "both" }), server.context));
  });

  it("rejects a cursor it did not issue", async () => {
    const { source, server } = await wikiWith(wikiApi);
    await expectSourceError(
      source.search(request({ cursor: "page-2" }), server.context),
      /^Wikipedia \(English\): invalid cursor "page-2"$/,
    );
    await expectSourceError(source.search(request({ cursor: "[1,2]" }), server.context), /invalid cursor/);
    // The former cursor, the API's continue object as JSON, is no longer read.
    await expectSourceError(
      source.search(request({ cursor: '{"gsroffset":4,"continue":"gsroffset||"}' }), server.context),
      /invalid cursor/,
    );
    expect(server.requests).toHaveLength(0);
  });

  it("reports API errors, HTTP failures, malformed JSON and missing fields as SourceErrors naming the wiki", async () => {
    const broken = fixtureJson<{ query: { pages: Record<string, unknown>[] } }>("mediawiki-search-page1.json");
    delete broken.query.pages[0].title;
    const replies = {
      apierror: { body: fixtureJson("mediawiki-error.json") },
      lagged: { status: 503, headers: { "retry-after": "5" }, body: "Service Unavailable" },
      badjson: notJson('{"batchcomplete": true, "query": {"pages": ['),
      nopages: { body: { batchcomplete: true, continue: { gsroffset: 4, continue: "gsroffset||" }, query: {} } },
      noquery: { body: { warnings: { main: { warnings: "Unrecognized parameter" } } } },
      notitle: { body: broken },
    };
    const { source, server } = await wikiWith(repliesBy("gsrsearch", replies));
    const search = (query: string) => source.search(request({ query }), server.context);

    await expectSourceError(
      search("apierror"),
      /^Wikipedia \(English\): API error badvalue: Unrecognized value for parameter "gsrnamespace": 99\.$/,
    );
    const lagged = await expectSourceError(search("lagged"), /^Wikipedia \(English\): HTTP 503 from 127\.0\.0\.1:\d+$/);
    expect([lagged.retryable, lagged.retryAfterMs]).toEqual([true, 5_000]);
    expect((await expectSourceError(search("gone"), /^Wikipedia \(English\): HTTP 404 from /)).retryable).toBe(false);
    await expectSourceError(search("badjson"), /^Wikipedia \(English\): malformed JSON from 127\.0\.0\.1:\d+$/);
    await expectSourceError(search("nopages"), /^Wikipedia \(English\): malformed response \(missing query\.pages\)$/);
    await expectSourceError(search("noquery"), /^Wikipedia \(English\): malformed response \(missing query\.pages\)$/);
    // One malformed page is dropped with its reason; the rest of the batch is kept.
    const partial = await search("notitle");
    expect(partial.items).toHaveLength(2);
    expect(partial.dropped).toContainEqual({ remoteId: "page-37513", reason: "a malformed record (missing title)" });
  });

  it("reports the articles it leaves out, with their reasons", async () => {
    const { source, server } = await wikiWith(wikiApi);
    const first = await source.search(request(), server.context);
    expect(first.dropped).toEqual([{ remoteId: "page-2203456", reason: "the article has no lead image" }]);
    const second = await source.search(request({ cursor: first.nextCursor }), server.context);
    expect(second.dropped).toEqual([{ remoteId: "Aurora_Programme_logo.svg", reason: "its lead image has no raster file or rendering" }]);
  });

  it("maps a generator=search response recorded by Wikimedia's MediaSearch tests: 40 pages without lead images, 40 dropped", async () => {
    const recorded = fixtureJson<{ query: { pages: Record<string, { pageid: number; index: number }> } }>(
      "mediawiki-recorded-search-pages.json",
    );
    const { source, server } = await wikiWith(() => ({ body: recorded }));
    const page = await source.search(request({ query: "dog" }), server.context);

    // Recorded with prop=info and no pageimages (formatversion 1, pages keyed by id): 40 records, 0 items, 40 dropped.
    const ranked = Object.values(recorded.query.pages).sort((a, b) => a.index - b.index);
    expect(ranked).toHaveLength(40);
    expect(page.items).toEqual([]);
    expect(page.dropped).toEqual(ranked.map((p) => ({ remoteId: `page-${p.pageid}`, reason: "the article has no lead image" })));
    expect(page.nextCursor).toBe("40");
  });

  it("drops a lead image whose original is a PDF, DjVu or video instead of downloading a rendering of it", async () => {
    const body = fixtureJson<{ query: { pages: Record<string, unknown>[] } }>("mediawiki-search-page1.json");
    const [first, second, , fourth] = body.query.pages;
    const file = (name: string) => ({
      pageimage: name,
      original: { source: `https://upload.wikimedia.org/wikipedia/commons/1/12/${name}` },
      thumbnail: { source: `https://upload.wikimedia.org/wikipedia/commons/thumb/1/12/${name}/page1-1280px-${name}.jpg` },
    });
    Object.assign(first, file("Atlas.pdf"));
    Object.assign(second, file("Scan.djvu"));
    Object.assign(fourth, file("Aurora_timelapse.webm"));
    const { source, server } = await wikiWith(() => ({ body }));
    const page = await source.search(request(), server.context);
    expect(page.items).toEqual([]);
    expect(page.dropped).toEqual([
      { remoteId: "Atlas.pdf", reason: "a pdf lead image, which Trawl cannot store" },
      { remoteId: "page-2203456", reason: "the article has no lead image" },
      { remoteId: "Scan.djvu", reason: "a djvu lead image, which Trawl cannot store" },
      { remoteId: "Aurora_timelapse.webm", reason: "a webm lead image, which Trawl cannot store" },
    ]);
  });
});

describe("MediaWiki adapter on a full-text search recorded by the Wikipedia Android app (apps-android-wikipedia full_text_search_results.json)", () => {
  type Recorded = {
    continue: { gsroffset: number };
    query: { pages: { pageid: number; index: number; title: string; thumbnail?: { source: string } }[] };
  };
  const recorded = () => fixtureJson<Recorded>("mediawiki-recorded-fulltext-search.json");

  it("takes the lead image renderings in search order and drops the 4 articles without one", async () => {
    const { source, server } = await wikiWith(() => ({ body: recorded() }));
    const page = await source.search(request({ query: "queens subway" }), server.context);
    const ranked = [...recorded().query.pages].sort((a, b) => a.index - b.index);

    // 20 records: 16 with a lead image (recorded with piprop=thumbnail only: no original, no file name), 4 without.
    expect([ranked.length, page.items.length, page.dropped?.length]).toEqual([20, 16, 4]);
    expect(page.items.map((i) => i.title)).toEqual(ranked.filter((p) => p.thumbnail).map((p) => p.title));
    expect(page.dropped).toEqual(
      ranked.filter((p) => !p.thumbnail).map((p) => ({ remoteId: `page-${p.pageid}`, reason: "the article has no lead image" })),
    );
    // Ranks 1 and 2 have no lead image; rank 3 is the first item.
    expect(page.items[0]).toEqual({
      remoteId: "page-45579",
      mediaType: "image",
      mediaUrl: "https://upload.wikimedia.org/wikipedia/commons/thumb/1/1a/Queens_Montage_2012_1.png/285px-Queens_Montage_2012_1.png",
      thumbnailUrl: "https://upload.wikimedia.org/wikipedia/commons/thumb/1/1a/Queens_Montage_2012_1.png/285px-Queens_Montage_2012_1.png",
      pageUrl: undefined,
      title: "Queens",
    });
    // An SVG lead image comes as its PNG rendering, which is taken.
    expect(page.items.find((i) => i.title === "63rd Street Lines")?.mediaUrl).toBe(
      "https://upload.wikimedia.org/wikipedia/commons/thumb/5/56/NYCS-line-trans-63rd.svg/320px-NYCS-line-trans-63rd.svg.png",
    );
    expect(page.nextCursor).toBe("20");
  });
});
