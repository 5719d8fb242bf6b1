import { describe, expect, it } from "vitest";
import { fixtureJson, TEST_USER_AGENT, type FixtureHandler } from "@/tests/support/source-test-server";
import { adapterPerTest, expectEmpty, expectSourceError, searchRequest, walkPages } from "@/tests/support/source-test-kit";
import { createUnsplash, unsplashDownloadTrigger } from "@/lib/sources/unsplash";

const KEY = "Xb4rTxF1-test-access-key";
const IXID = "MnwxOTg2NDZ8MHwxfHNlYXJjaHwxfHxhdXJvcmF8ZW58MHx8fHwxNzAwMDAwMDAw";

/** Answers like api.unsplash.com: "aurora" has 5 photos on 2 pages. */
const unsplashApi: FixtureHandler = ({ path, params, headers }) => {
  if (headers.authorization !== `Client-ID ${KEY}`) return { status: 401, body: { errors: ["OAuth error: The access token is invalid"] } };
  if (path === "/photos/aq9G80Hm8mU/download" && params.get("ixid") === IXID) {
    return { body: { url: `https://images.unsplash.com/photo-1531366936337-7c912a4589a7?ixid=${IXID}&ixlib=rb-4.0.3` } };
  }
  if (path !== "/search/photos") return undefined;
  if (params.get("query") !== "aurora") return { body: { total: 0, total_pages: 0, results: [] } };
  return { body: fixtureJson(params.get("page") === "2" ? "unsplash-search-page2.json" : "unsplash-search-page1.json") };
};

const unsplashWith = adapterPerTest((server) => {
  server.context.key = KEY;
  return createUnsplash({ id: "unsplash", name: "Unsplash", apiUrl: server.origin });
});

describe("Unsplash adapter", () => {
  it("searches with the Client-ID header and a strict content filter, normalizing the photos", async () => {
    const { source, server } = await unsplashWith(unsplashApi);
    const page = await source.search(searchRequest(), server.context);

    expect(server.requests).toHaveLength(1);
    const sent = server.requests[0];
    expect(sent.path).toBe("/search/photos");
    expect(Object.fromEntries(sent.params)).toEqual({ query: "aurora", page: "1", per_page: "30", content_filter: "high" });
    expect(sent.headers.authorization).toBe(`Client-ID ${KEY}`);
    expect(sent.headers["accept-version"]).toBe("v1");
    expect(sent.headers["user-agent"]).toBe(TEST_USER_AGENT);

    expect(page.items[0]).toEqual({
      remoteId: "aq9G80Hm8mU",
      mediaType: "image",
      mediaUrl: `https://images.unsplash.com/photo-1531366936337-7c912a4589a7?crop=entropy&cs=srgb&fm=jpg&ixid=${IXID}&ixlib=rb-4.0.3&q=85`,
      thumbnailUrl: `https://images.unsplash.com/photo-1531366936337-7c912a4589a7?crop=entropy&cs=tinysrgb&fit=max&fm=jpg&ixid=${IXID}&ixlib=rb-4.0.3&q=80&w=400`,
      pageUrl: "https://unsplash.com/photos/aq9G80Hm8mU",
      title: "Northern lights over Tromsø",
      author: "Jonatan Pie",
      license: "Unsplash License",
      licenseUrl: "https://unsplash.com/license",
      // links.download_location: reported after the download, as Unsplash's terms require.
      trackingUrl: `https://api.unsplash.com/photos/aq9G80Hm8mU/download?ixid=${IXID}`,
    });
    // description, then alt_description, then nothing; a missing name falls back to the username.
    expect(page.items.map((i) => [i.title, i.author])).toEqual([
      ["Northern lights over Tromsø", "Jonatan Pie"],
      ["aurora borealis above a lake", "Vincent Guth"],
      [undefined, "lightscape"],
    ]);
    // One phase: the cursor is the page alone.
    expect(page.nextCursor).toBe("2");
  });

  it("maps safe search off to content_filter=low", async () => {
    const { source, server } = await unsplashWith(unsplashApi);
    await source.search(searchRequest({ safeSearch: false }), server.context);
    expect(server.requests[0].params.get("content_filter")).toBe("low");
  });

  it("pages until total_pages and resumes inside a page cut by the limit", async () => {
    const { source, server } = await unsplashWith(unsplashApi);
    const { ids, cursors } = await walkPages(source, searchRequest({ limit: 2 }), server.context);
    expect(cursors).toEqual(["1:2", "2", null]);
    expect(ids).toEqual(["aq9G80Hm8mU", "hwSYHLXoP-Q", "BnN3oRXuUFo", "XeOO8ir_YHs", "Hn3S90f6aak"]);
  });

  it("finishes on no results", async () => {
    const { source, server } = await unsplashWith(unsplashApi);
    await expectEmpty(source.search(searchRequest({ query: "qqqzzz" }), server.context));
  });

  it("refuses to search without a key and rejects cursors it did not issue", async () => {
    const { source, server } = await unsplashWith(unsplashApi);
    await expectSourceError(source.search(searchRequest(), { ...server.context, key: undefined }), /^Unsplash: no API key configured$/);
    await expectSourceError(source.search(searchRequest({ cursor: "photos:2" }), server.context), /^Unsplash: invalid cursor "photos:2"$/);
    await expectSourceError(source.search(searchRequest({ cursor: "0" }), server.context), /^Unsplash: invalid cursor "0"$/);
    expect(server.requests).toHaveLength(0);
  });

  it("reports the 403 of a used-up hourly limit as retryable, not as a rejected key", async () => {
    // 401 (the rejected key), 404, 429, 500 and malformed bodies are in the failure-contract table.
    const { source, server } = await unsplashWith(() => ({ status: 403, body: "Rate Limit Exceeded" }));
    const quota = await expectSourceError(
      source.search(searchRequest(), server.context),
      /^Unsplash: hourly rate limit used up \(HTTP 403\)$/,
    );
    expect([quota.status, quota.retryable]).toEqual([403, true]);
  });

  it("drops only a result without the fields it maps", async () => {
    const broken = fixtureJson<{ results: Record<string, unknown>[] }>("unsplash-search-page1.json");
    delete broken.results[0].links;
    const { source, server } = await unsplashWith(() => ({ body: broken }));
    const page = await source.search(searchRequest(), server.context);
    expect(page.items.map((i) => i.remoteId)).toEqual(["hwSYHLXoP-Q", "BnN3oRXuUFo"]);
    expect(page.dropped).toEqual([{ remoteId: "aq9G80Hm8mU", reason: "a malformed record (missing links)" }]);
  });
});

describe("unsplashDownloadTrigger", () => {
  it("requests the photo's download_location with the access key", async () => {
    const { server } = await unsplashWith(unsplashApi);
    const location = `${server.origin}/photos/aq9G80Hm8mU/download?ixid=${IXID}`;
    await unsplashDownloadTrigger(location, server.context, server.origin);
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0].path).toBe("/photos/aq9G80Hm8mU/download");
    expect(server.requests[0].params.get("ixid")).toBe(IXID);
    expect(server.requests[0].headers.authorization).toBe(`Client-ID ${KEY}`);
  });

  it("never sends the key anywhere but the Unsplash API", async () => {
    const { server } = await unsplashWith(unsplashApi);
    await expectSourceError(
      unsplashDownloadTrigger(`https://elsewhere.example/photos/aq9G80Hm8mU/download`, server.context, server.origin),
      /^Unsplash: refusing to send the access key to https:\/\/elsewhere\.example\/photos\/aq9G80Hm8mU\/download \(not http:\/\/127\.0\.0\.1:\d+\)$/,
    );
    expect(server.requests).toHaveLength(0);
  });

  it("reports failures and answers without a url", async () => {
    const { server } = await unsplashWith(unsplashApi);
    await expectSourceError(
      unsplashDownloadTrigger(`${server.origin}/photos/unknown/download`, server.context, server.origin),
      /^Unsplash: HTTP 404 from /,
    );
    await expectSourceError(
      unsplashDownloadTrigger(
        `${server.origin}/photos/aq9G80Hm8mU/download?ixid=${IXID}`,
        { ...server.context, key: "wrong" },
        server.origin,
      ),
      /^Unsplash: API key rejected \(401\)$/,
    );
    await expectSourceError(
      unsplashDownloadTrigger(`${server.origin}/photos/aq9G80Hm8mU/download`, { ...server.context, key: undefined }, server.origin),
      /^Unsplash: no API key configured$/,
    );
  });
});

// A real response, recorded by someone else: GET /search/photos?page=1&query=office pasted whole into
// irohitb/images-map's documentation/unsplash.md (2021-01-22; see tests/fixtures/sources/unsplash-recorded-search.provenance.md).
describe("Unsplash adapter on a recorded response", () => {
  type Photo = { id: string; urls: Record<string, string>; user: { name: string }; sponsorship: unknown };
  const recorded = () => fixtureJson<{ total: number; total_pages: number; results: Photo[] }>("unsplash-recorded-search.json");

  it("turns all 10 recorded results into items at full size, with the photographer and the Unsplash License", async () => {
    const { source, server } = await unsplashWith(({ path }) => (path === "/search/photos" ? { body: recorded() } : undefined));
    const page = await source.search(searchRequest(), server.context);
    const results = recorded().results;
    expect(results).toHaveLength(10);
    expect(page.items).toHaveLength(10);
    expect(page.dropped).toBeUndefined();
    // urls.full: the original dimensions (e.g. 6016x4016) as JPEG, not regular (1080 px) or small.
    expect(page.items.map((i) => i.mediaUrl)).toEqual(results.map((r) => r.urls.full));
    expect(page.items.map((i) => i.author)).toEqual(results.map((r) => r.user.name));
    expect(page.items[1]).toEqual({
      remoteId: "yWwob8kwOCk",
      mediaType: "image",
      mediaUrl:
        "https://images.unsplash.com/photo-1497366754035-f200968a6e72?ixlib=rb-1.2.1&q=85&fm=jpg&crop=entropy&cs=srgb&ixid=eyJhcHBfaWQiOjE1NDA1MX0",
      thumbnailUrl:
        "https://images.unsplash.com/photo-1497366754035-f200968a6e72?ixlib=rb-1.2.1&q=80&fm=jpg&crop=entropy&cs=tinysrgb&w=400&fit=max&ixid=eyJhcHBfaWQiOjE1NDA1MX0",
      pageUrl: "https://unsplash.com/photos/yWwob8kwOCk",
      title: "Office hallway",
      author: "Nastuh Abootalebi",
      license: "Unsplash License",
      licenseUrl: "https://unsplash.com/license",
      trackingUrl: "https://api.unsplash.com/photos/yWwob8kwOCk/download",
    });
    // The first result is sponsored (a brand's photo): still a photo under the license, kept.
    expect(results[0].sponsorship).toBeTruthy();
    expect(page.items[0]).toMatchObject({ remoteId: "g2E2NQ5SWSU", title: "silver laptop on white table", author: "XPS" });
    // total_pages 5186: the search goes on.
    expect(page.nextCursor).not.toBeNull();
  });
});

// A real response recorded by Unsplash's own PHP library: the VCR cassette of GET /search/photos?query=paris&page=1&per_page=10
// (unsplash/unsplash-php tests/fixtures/search.yml, 2017-03-06; see tests/fixtures/sources/unsplash-recorded-php-search.provenance.md).
describe("Unsplash adapter on the response recorded by unsplash-php", () => {
  type Photo = { id: string; urls: Record<string, string>; links: Record<string, string>; user: { name: string } };
  const recorded = () => fixtureJson<{ total: number; total_pages: number; results: Photo[] }>("unsplash-recorded-php-search.json");

  it("turns all 10 recorded results into items at full size, with the photographer and the download to report", async () => {
    const { source, server } = await unsplashWith(({ path }) => (path === "/search/photos" ? { body: recorded() } : undefined));
    const page = await source.search(searchRequest({ query: "paris" }), server.context);
    const results = recorded().results;
    expect([results.length, page.items.length, page.dropped]).toEqual([10, 10, undefined]);
    expect(page.items.map((i) => i.remoteId)).toEqual(results.map((r) => r.id));
    // urls.full (q=100 JPEG at 4825x3217 for the first), not regular (w=1080) or small (w=400)
    expect(page.items.map((i) => i.mediaUrl)).toEqual(results.map((r) => r.urls.full));
    expect(page.items.map((i) => i.trackingUrl)).toEqual(results.map((r) => r.links.download_location));
    expect(page.items.map((i) => i.author)).toEqual([
      "Rob Potvin",
      "Alice Donovan Rouse",
      "Malgorzata Frej",
      "Gianluca Cosetta",
      "Sarah Neighbour",
      "Mathias Konrath",
      "Pedro Lastra",
      "JOHN TOWNER",
      "JOHN TOWNER",
      "Mirko Bellabarba",
    ]);
    expect(page.items[0]).toEqual({
      remoteId: "VLWy8LIdzsQ",
      mediaType: "image",
      mediaUrl:
        "https://images.unsplash.com/43/2EsHHwmRswlLYnaG07Ew_paris-motionbug.com.jpg?ixlib=rb-0.3.5&q=100&fm=jpg&crop=entropy&cs=tinysrgb&s=c9653dee5ef6a801e4c9e2c4f2a62665",
      thumbnailUrl:
        "https://images.unsplash.com/43/2EsHHwmRswlLYnaG07Ew_paris-motionbug.com.jpg?ixlib=rb-0.3.5&q=80&fm=jpg&crop=entropy&cs=tinysrgb&w=400&fit=max&s=c066940c54ba2eb405ec4c25f0963602",
      pageUrl: "http://unsplash.com/photos/VLWy8LIdzsQ",
      // 2017 results had no description or alt_description
      title: undefined,
      author: "Rob Potvin",
      license: "Unsplash License",
      licenseUrl: "https://unsplash.com/license",
      trackingUrl: "https://api.unsplash.com/photos/VLWy8LIdzsQ/download",
    });
    // total_pages 11: the search goes on at page 2.
    expect(page.nextCursor).toBe("2");
  });
});
