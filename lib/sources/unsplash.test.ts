import { describe, expect, it } from "vitest";
import { fixtureJson, TEST_USER_AGENT, type FixtureHandler, type FixtureReply } from "@/tests/support/source-test-server";
import { adapterPerTest, expectSourceError, searchRequest } from "@/tests/support/source-test-kit";
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
    expect(page.nextCursor).toBe("photos:2");
  });

  it("maps safe search off to content_filter=low", async () => {
    const { source, server } = await unsplashWith(unsplashApi);
    await source.search(searchRequest({ safeSearch: false }), server.context);
    expect(server.requests[0].params.get("content_filter")).toBe("low");
  });

  it("pages until total_pages and resumes inside a page cut by the limit", async () => {
    const { source, server } = await unsplashWith(unsplashApi);
    const ids: string[] = [];
    const cursors: (string | null)[] = [];
    let cursor: string | null = null;
    do {
      const page = await source.search(searchRequest({ limit: 2, cursor }), server.context);
      expect(page.items.length).toBeLessThanOrEqual(2);
      ids.push(...page.items.map((i) => i.remoteId));
      cursor = page.nextCursor;
      cursors.push(cursor);
    } while (cursor !== null);
    expect(cursors).toEqual(["photos:1:2", "photos:2", null]);
    expect(ids).toEqual(["aq9G80Hm8mU", "hwSYHLXoP-Q", "BnN3oRXuUFo", "XeOO8ir_YHs", "Hn3S90f6aak"]);
  });

  it("returns nothing for a videos job without calling the API, and finishes on no results", async () => {
    const { source, server } = await unsplashWith(unsplashApi);
    expect(await source.search(searchRequest({ mediaTypes: "videos" }), server.context)).toEqual({ items: [], nextCursor: null });
    expect(server.requests).toHaveLength(0);
    expect(await source.search(searchRequest({ query: "qqqzzz" }), server.context)).toEqual({ items: [], nextCursor: null, dropped: [] });
  });

  it("refuses to search without a key and rejects cursors it did not issue", async () => {
    const { source, server } = await unsplashWith(unsplashApi);
    await expectSourceError(source.search(searchRequest(), { ...server.context, key: undefined }), /^Unsplash: no API key configured$/);
    await expectSourceError(source.search(searchRequest({ cursor: "2" }), server.context), /^Unsplash: invalid cursor "2"$/);
    expect(server.requests).toHaveLength(0);
  });

  it("reports a rejected key, the hourly limit, HTTP failures, malformed JSON and missing fields as SourceErrors", async () => {
    const broken = fixtureJson<{ results: Record<string, unknown>[] }>("unsplash-search-page1.json");
    delete broken.results[0].links;
    const { source, server } = await unsplashWith(({ params }): FixtureReply | undefined => {
      switch (params.get("query")) {
        case "badkey":
          return { status: 401, body: { errors: ["OAuth error: The access token is invalid"] } };
        case "quota":
          return { status: 403, body: "Rate Limit Exceeded" };
        case "throttled":
          return { status: 429, headers: { "retry-after": "30" }, body: "Too Many Requests" };
        case "down":
          return { status: 500, body: { errors: ["Internal server error"] } };
        case "badjson":
          return { body: '{"total": 1, "results": [', headers: { "content-type": "application/json" } };
        case "nopages":
          return { body: { total: 0, results: [] } };
        case "nolinks":
          return { body: broken };
        default:
          return undefined;
      }
    });
    const search = (query: string) => source.search(searchRequest({ query }), server.context);

    expect((await expectSourceError(search("badkey"), /^Unsplash: API key rejected \(401\)$/)).retryable).toBe(false);
    const quota = await expectSourceError(search("quota"), /^Unsplash: hourly rate limit used up \(HTTP 403\)$/);
    expect([quota.status, quota.retryable]).toEqual([403, true]);
    const throttled = await expectSourceError(search("throttled"), /^Unsplash: HTTP 429 from 127\.0\.0\.1:\d+$/);
    expect([throttled.retryable, throttled.retryAfterMs]).toEqual([true, 30_000]);
    expect((await expectSourceError(search("down"), /^Unsplash: HTTP 500 from /)).retryable).toBe(true);
    expect((await expectSourceError(search("gone"), /^Unsplash: HTTP 404 from /)).retryable).toBe(false);
    await expectSourceError(search("badjson"), /^Unsplash: malformed JSON from 127\.0\.0\.1:\d+$/);
    await expectSourceError(search("nopages"), /^Unsplash: malformed response \(missing total_pages\)$/);
    await expectSourceError(search("nolinks"), /^Unsplash: malformed response \(missing results\[0\]\.links\)$/);
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
    expect(page.dropped).toEqual([]);
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
