import { describe, expect, it } from "vitest";
import { createOpenverse } from "@/lib/sources/openverse";
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

const request = requestWith({ query: "fox" });

/** Answers like api.openverse.org: "fox" has 23 results on 2 pages; "deep" claims 240 pages. */
const openverseApi: FixtureHandler = ({ path, params }) => {
  if (path !== "/v1/images/") return undefined;
  const page = Number(params.get("page"));
  if (params.get("q") === "deep")
    return { body: { ...fixtureJson<Record<string, unknown>>("openverse-images-page1.json"), page, page_count: 240, result_count: 4800 } };
  if (params.get("q") !== "fox") return { body: { result_count: 0, page_count: 0, page_size: 20, page: 1, results: [], warnings: [] } };
  return { body: fixtureJson(page === 2 ? "openverse-images-page2.json" : "openverse-images-page1.json") };
};

const openverseWith = adapterPerTest((server) => {
  // A trailing slash on the configured base URL must not double up.
  return createOpenverse({ apiUrl: `${server.origin}/v1/` });
});

describe("Openverse adapter", () => {
  it("queries /v1/images/ with an anonymous page size and normalizes the results", async () => {
    const { source, server } = await openverseWith(openverseApi);
    const page = await source.search(request(), server.context);

    expectRequest(server, { path: "/v1/images/", params: { q: "fox", page: "1", page_size: "20", mature: "false" } });

    expect(page.items).toHaveLength(20);
    expect(page.items[0]).toEqual({
      remoteId: "9f3c2a10-4e2b-4c1d-9a7e-5b1d00000000",
      mediaType: "image",
      mediaUrl: "https://live.staticflickr.com/4000/5200000000_abc123_b.jpg",
      thumbnailUrl: "https://api.openverse.org/v1/images/9f3c2a10-4e2b-4c1d-9a7e-5b1d00000000/thumb/",
      pageUrl: "https://www.flickr.com/photos/10000000@N07/5200000000",
      title: "Red fox",
      author: "Peter Trimming",
      license: "CC BY 2.0",
      licenseUrl: "https://creativecommons.org/licenses/by/2.0/",
    });
    expect(page.items.slice(1, 5).map((i) => i.license)).toEqual(["CC BY-SA 2.0", "CC0 1.0", "CC BY-NC 2.0", "Public Domain Mark 1.0"]);
    expect(page.items[5].author).toBeUndefined(); // creator: null
    expect(page.nextCursor).toBe("2");
  });

  it("pages until page_count and keeps nullable fields undefined", async () => {
    const { source, server } = await openverseWith(openverseApi);
    const last = await source.search(request({ cursor: "2" }), server.context);
    expect(server.requests[0].params.get("page")).toBe("2");
    expect(last.items.map((i) => i.title)).toEqual(["Fox pair", undefined, "Fox tail"]);
    expect(last.nextCursor).toBeNull();
  });

  it("stops at the limit and resumes inside the page without losing results", async () => {
    const { source, server } = await openverseWith(openverseApi);
    const { ids, cursors } = await walkPages(source, request({ limit: 15 }), server.context);

    expect(cursors).toEqual(["1:15", "2", null]);
    expect(server.requests.map((r) => r.params.get("page"))).toEqual(["1", "1", "2"]);
    const all = [
      ...fixtureJson<{ results: { id: string }[] }>("openverse-images-page1.json").results,
      ...fixtureJson<{ results: { id: string }[] }>("openverse-images-page2.json").results,
    ].map((r) => r.id);
    expect(ids).toEqual(all);
  });

  it("never asks for more than 20 pages", async () => {
    const { source, server } = await openverseWith(openverseApi);
    const nineteenth = await source.search(request({ query: "deep", cursor: "19" }), server.context);
    expect(nineteenth.nextCursor).toBe("20");
    const twentieth = await source.search(request({ query: "deep", cursor: "20" }), server.context);
    expect(twentieth.items).toHaveLength(20);
    expect(twentieth.nextCursor).toBeNull();
    await expectSourceError(source.search(request({ query: "deep", cursor: "21" }), server.context), /^Openverse: invalid cursor "21"$/);
    expect(server.requests).toHaveLength(2);
  });

  it("maps safe search to the mature parameter", async () => {
    const { source, server } = await openverseWith(openverseApi);
    await source.search(request({ safeSearch: true }), server.context);
    await source.search(request({ safeSearch: false }), server.context);
    expect(server.requests.map((r) => r.params.get("mature"))).toEqual(["false", "true"]);
  });

  it("returns the images for a job that asks for both", async () => {
    const { source, server } = await openverseWith(openverseApi);
    const both = await source.search(request({ mediaTypes: "both" }), server.context);
    expect(both.items).toHaveLength(20);
  });

  it("finishes on a search without results", async () => {
    const { source, server } = await openverseWith(openverseApi);
    expect(await source.search(request({ query: "qqqzzz" }), server.context)).toEqual({ items: [], nextCursor: null });
  });

  it("reports HTTP failures, malformed JSON and missing fields as SourceErrors naming Openverse", async () => {
    const { source, server } = await openverseWith(
      repliesBy("q", {
        down: { status: 500, body: { detail: "Internal server error" } },
        throttled: { status: 429, headers: { "retry-after": "60" }, body: { detail: "Request was throttled." } },
        badjson: notJson('{"result_count": 3, "results": ['),
        nopagecount: { body: { result_count: 0, page: 1, results: [] } },
      }),
    );
    const search = (query: string) => source.search(request({ query }), server.context);

    const down = await expectSourceError(search("down"), /^Openverse: HTTP 500 from 127\.0\.0\.1:\d+$/);
    expect(down.status).toBe(500);
    const throttled = await expectSourceError(search("throttled"), /^Openverse: HTTP 429 from /);
    expect(throttled.retryable).toBe(true);
    const missing = await expectSourceError(search("gone"), /^Openverse: HTTP 404 from /);
    expect(missing.retryable).toBe(false);
    await expectSourceError(search("badjson"), /^Openverse: malformed JSON from 127\.0\.0\.1:\d+$/);
    await expectSourceError(search("nopagecount"), /^Openverse: malformed response \(missing page_count\)$/);
  });

  it("drops a malformed result or an SVG with its reason and keeps the rest of the page", async () => {
    const page1 = fixtureJson<{ results: Record<string, unknown>[] }>("openverse-images-page1.json");
    delete page1.results[3].url;
    // As Openverse lists SVG drawings (filetype "svg"), which Trawl does not store.
    page1.results[4] = { ...page1.results[4], url: "https://upload.wikimedia.org/wikipedia/commons/a/a0/Fox.svg", filetype: "svg" };
    page1.results[6] = { ...page1.results[6], filetype: "pdf" };
    const { source, server } = await openverseWith(() => ({ body: page1 }));
    const page = await source.search(request(), server.context);
    expect(page.items).toHaveLength(17);
    expect(page.dropped).toEqual([
      { remoteId: page1.results[3].id, reason: "a malformed record (missing url)" },
      { remoteId: page1.results[4].id, reason: "an SVG drawing, which Trawl does not store" },
      { remoteId: page1.results[6].id, reason: "a pdf file, which Trawl cannot store" },
    ]);
    // A page resumed inside (cursor "1:15": 15 records handled) reads records 15-19 and does not report the earlier drops again.
    const resumed = await source.search(request({ cursor: "1:15" }), server.context);
    expect(resumed.items.map((i) => i.remoteId)).toEqual(page1.results.slice(15).map((r) => r.id));
    expect(resumed.dropped).toBeUndefined();
  });

  it("drops a result without a filetype whose URL names a format Trawl refuses (PDF, DjVu, HEIC)", async () => {
    const page1 = fixtureJson<{ results: Record<string, unknown>[] }>("openverse-images-page1.json");
    page1.results[0] = { ...page1.results[0], url: "https://example.org/scans/atlas.pdf", filetype: null };
    page1.results[1] = { ...page1.results[1], url: "https://example.org/scans/atlas.djvu", filetype: null };
    page1.results[2] = { ...page1.results[2], url: "https://example.org/photos/IMG_0001.HEIC", filetype: null };
    // no filetype and no extension: kept (most catalog URLs say nothing)
    page1.results[3] = { ...page1.results[3], url: "https://example.org/media/get/12345", filetype: null };
    const { source, server } = await openverseWith(() => ({ body: page1 }));
    const page = await source.search(request(), server.context);
    expect(page.items).toHaveLength(17);
    expect(page.items[0].mediaUrl).toBe("https://example.org/media/get/12345");
    expect(page.dropped).toEqual([
      { remoteId: page1.results[0].id, reason: "a .pdf file, which Trawl cannot store" },
      { remoteId: page1.results[1].id, reason: "a .djvu file, which Trawl cannot store" },
      { remoteId: page1.results[2].id, reason: "a .heic file, which Trawl cannot store" },
    ]);
  });

  it("maps a response recorded by Openverse's own frontend tests", async () => {
    const recorded = fixtureJson<{ results: unknown[] }>("openverse-recorded-search.json");
    const { source, server } = await openverseWith(() => ({ body: recorded }));
    const page = await source.search(request({ query: "cat" }), server.context);

    // Trimmed to 3 of the page's 20 results: 3 records, 3 items, none dropped.
    expect(recorded.results).toHaveLength(3);
    expect(page.items).toHaveLength(3);
    expect(page.dropped).toBeUndefined();
    expect(page.items[0]).toEqual({
      remoteId: "df5e18ed-f936-4e46-93ba-dcc4ef0d7000",
      mediaType: "image",
      // The one file a result offers: Flickr's 1024 px "_b" size (width 1022 x height 671).
      mediaUrl: "https://live.staticflickr.com/8280/8711378816_39cc228e5c_b.jpg",
      thumbnailUrl: "http://localhost:49153/v1/images/df5e18ed-f936-4e46-93ba-dcc4ef0d7000/thumb/",
      pageUrl: "https://www.flickr.com/photos/21644167@N04/8711378816",
      title: "CAT",
      author: "Bahman Farzad",
      license: "CC BY 2.0",
      licenseUrl: "https://creativecommons.org/licenses/by/2.0/",
    });
    expect(page.items.map((i) => [i.author, i.license])).toEqual([
      ["Bahman Farzad", "CC BY 2.0"],
      ["anderoo", "CC BY-SA 2.0"],
      ["chen.xiahong", "CC BY-SA 2.0"],
    ]);
    expect(page.nextCursor).toBe("2");
  });
});
