import { describe, expect, it } from "vitest";
import { createPeerTube } from "@/lib/sources/peertube";
import { fixtureJson, fixtureText, TEST_USER_AGENT, type FixtureHandler, type FixtureReply } from "@/tests/support/source-test-server";
import { adapterPerTest, expectSourceError, requestWith, walkPages } from "@/tests/support/source-test-kit";

const A = "9c9de5e8-0a1e-484a-b099-e80766180a6d";
const B = "e2f4a6c8-1b3d-4f5a-8c9e-0d2b4f6a8c1e";
const C = "5b7d9f1a-3c5e-4a7b-9d1f-3e5a7c9b1d3f";
const E = "0e2a4c6e-8a0c-4e2a-9c4e-6a8c0e2a4c6e";
const F = "3f5b7d9f-1b3d-4e7a-9b1d-5f7b9d1f3b5d";
const G = "c8e0a2c4-6e8a-4c2e-8a4c-0e2a4c6e8a0c";

const request = requestWith({ mediaTypes: "videos", safeSearch: false, limit: 50 });

const videos = () => fixtureJson<Record<string, Record<string, unknown>>>("peertube-videos.json");

/** Answers like framatube.org: six hits for "aurora"; E was deleted after indexing (404). */
const instanceApi: FixtureHandler = ({ path, params }) => {
  if (path === "/api/v1/search/videos") {
    const { data } = fixtureJson<{ data: unknown[] }>("peertube-search.json");
    if (params.get("search") !== "aurora") return { body: { total: 0, data: [] } };
    const start = Number(params.get("start"));
    return { body: { total: data.length, data: data.slice(start, start + Number(params.get("count"))) } };
  }
  const detail = /^\/api\/v1\/videos\/([^/]+)$/.exec(path);
  const video = detail && videos()[detail[1]];
  return video ? { body: video } : undefined;
};

const instanceWith = adapterPerTest((server) =>
  createPeerTube({
    id: "framatube-org",
    name: "Framatube",
    description: "PeerTube",
    homepage: "https://framatube.org/",
    apiUrl: `${server.origin}/`,
  }),
);

describe("PeerTube adapter (instance)", () => {
  it("searches videos, looks each hit up and picks the best direct MP4", async () => {
    const { source, server } = await instanceWith(instanceApi);
    const page = await source.search(request(), server.context);

    const [search, ...lookups] = server.requests;
    expect(search.path).toBe("/api/v1/search/videos");
    expect(Object.fromEntries(search.params)).toEqual({ search: "aurora", start: "0", count: "20", sort: "-match", nsfw: "both" });
    expect(search.headers["user-agent"]).toBe(TEST_USER_AGENT);
    // the live stream is skipped without a lookup
    expect(lookups.map((r) => r.path)).toEqual([A, B, C, E, F].map((uuid) => `/api/v1/videos/${uuid}`));

    expect(page.items).toEqual([
      {
        remoteId: A,
        mediaType: "video",
        // 1080p web video rather than the HLS rendition of the same height
        mediaUrl: `https://framatube.org/static/web-videos/${A}-1080.mp4`,
        pageUrl: `https://framatube.org/videos/watch/${A}`,
        thumbnailUrl: `${server.origin}/lazy-static/thumbnails/${A}.jpg`,
        title: "What is PeerTube?",
        author: "Framasoft",
        license: "Attribution - Share Alike",
      },
      {
        remoteId: B,
        mediaType: "video",
        // HLS only: the largest rendition, 2160p (a 1080p cap used to take the 720p one)
        mediaUrl: `https://framatube.org/static/streaming-playlists/hls/${B}/${B}-2160-fragmented.mp4`,
        pageUrl: `https://framatube.org/videos/watch/${B}`,
        thumbnailUrl: `${server.origin}/lazy-static/thumbnails/${B}.jpg`,
        title: "Aurora over Tromsø",
        author: "Sky Watch",
        license: undefined,
      },
      // C has no detail in the fixtures: it is NSFW and only looked up when safe search is off
      // E answered 404 (deleted since indexing) and F has an audio file only
    ]);
    const gone = "no longer on its instance, deleted or made private since it was indexed (404)";
    expect(page.dropped).toEqual([
      { remoteId: C, reason: gone },
      { remoteId: "7a1c3e5f-9b2d-4f6a-8c0e-2d4f6a8c0e2a", reason: "a live stream (no file to download)" },
      { remoteId: E, reason: gone },
      { remoteId: F, reason: "no downloadable video file (no MP4 with a picture)" },
    ]);
    expect(page.nextCursor).toBeNull();
  });

  it("maps safe search to nsfw=false and drops sensitive hits without looking them up", async () => {
    const { source, server } = await instanceWith(instanceApi);
    const page = await source.search(request({ safeSearch: true }), server.context);
    expect(server.requests[0].params.get("nsfw")).toBe("false");
    expect(server.requests.map((r) => r.path)).not.toContain(`/api/v1/videos/${C}`);
    expect(page.items.map((i) => i.remoteId)).toEqual([A, B]);
  });

  it("returns nothing for an images-only job without calling the API", async () => {
    const { source, server } = await instanceWith(instanceApi);
    expect(await source.search(request({ mediaTypes: "images" }), server.context)).toEqual({ items: [], nextCursor: null });
    expect(server.requests).toHaveLength(0);
    expect((await source.search(request({ mediaTypes: "both" }), server.context)).items).toHaveLength(2);
  });

  it("asks for no more hits than the limit and pages by start until the total", async () => {
    const { source, server } = await instanceWith(instanceApi);
    const { ids, cursors } = await walkPages(source, request({ limit: 2 }), server.context);
    const searches = server.requests.filter((r) => r.path === "/api/v1/search/videos");
    expect(searches.map((r) => [r.params.get("start"), r.params.get("count")])).toEqual([
      ["0", "2"],
      ["2", "2"],
      ["4", "2"],
    ]);
    expect(cursors).toEqual(["2", "4", null]);
    expect(ids).toEqual([A, B]);
    // a page never ends cut (it holds no more hits than the limit), but the one cursor format still reads a skip
    const resumed = await source.search(request({ limit: 2, cursor: "0:1" }), server.context);
    expect(resumed.items.map((i) => i.remoteId)).toEqual([B]);
    expect(resumed.nextCursor).toBe("2");
    await expectSourceError(source.search(request({ cursor: "~2" }), server.context), /^Framatube: invalid cursor "~2"$/);
  });

  it("reports search and lookup failures as SourceErrors naming the source", async () => {
    const { source, server } = await instanceWith(({ path, params }): FixtureReply | undefined => {
      if (path === "/api/v1/search/videos") {
        const hit = { ...fixtureJson<{ data: Record<string, unknown>[] }>("peertube-search.json").data[0], uuid: params.get("search") };
        switch (params.get("search")) {
          case "down":
            return { status: 500, body: { error: "Internal Server Error" } };
          case "throttled":
            return { status: 429, headers: { "retry-after": "10" }, body: { error: "Too many requests" } };
          case "badjson":
            return { body: '{"total": 1, "data": [', headers: { "content-type": "application/json" } };
          case "nototal":
            return { body: { data: [] } };
          case "lookupdown":
          case "lookupbroken":
            return { body: { total: 1, data: [hit] } };
          default:
            return undefined;
        }
      }
      if (path === "/api/v1/videos/lookupdown") return { status: 503, body: "maintenance" };
      if (path === "/api/v1/videos/lookupbroken")
        return { body: { uuid: "lookupbroken", files: [{ fileUrl: "https://x.example/a.mp4" }] } };
      return undefined;
    });
    const search = (query: string) => source.search(request({ query }), server.context);

    const down = await expectSourceError(search("down"), /^Framatube: HTTP 500 from 127\.0\.0\.1:\d+$/);
    expect(down.retryable).toBe(true);
    const throttled = await expectSourceError(search("throttled"), /^Framatube: HTTP 429 from /);
    expect(throttled.retryAfterMs).toBe(10_000);
    const missing = await expectSourceError(search("gone"), /^Framatube: HTTP 404 from /);
    expect(missing.retryable).toBe(false);
    await expectSourceError(search("badjson"), /^Framatube: malformed JSON from 127\.0\.0\.1:\d+$/);
    await expectSourceError(search("nototal"), /^Framatube: malformed response \(missing total\)$/);
    const lookup = await expectSourceError(search("lookupdown"), /^Framatube: HTTP 503 from /);
    expect(lookup.retryable).toBe(true);
    await expectSourceError(search("lookupbroken"), /^Framatube: malformed response \(missing files\[0\]\.resolution\)$/);
  });
});

describe("PeerTube adapter (one bad hit)", () => {
  it("drops only a malformed hit and a hit whose lookup answers 410, each with its reason", async () => {
    const { data } = fixtureJson<{ data: Record<string, unknown>[] }>("peertube-search.json");
    const [first, second] = data;
    const nameless = { ...second };
    delete nameless.name;
    const removed = { ...first, uuid: "removed" };
    const { source, server } = await instanceWith(({ path }) => {
      if (path === "/api/v1/search/videos") return { body: { total: 3, data: [nameless, removed, first] } };
      if (path === "/api/v1/videos/removed") return { status: 410, body: { error: "Video was removed" } };
      if (path === `/api/v1/videos/${A}`) return { body: videos()[A] };
      return undefined;
    });
    const page = await source.search(request(), server.context);
    expect(page.items.map((i) => i.remoteId)).toEqual([A]);
    expect(page.dropped).toEqual([
      { remoteId: B, reason: "a malformed record (missing name)" },
      { remoteId: "removed", reason: "no longer on its instance, deleted or made private since it was indexed (410)" },
    ]);
    // the malformed hit is not looked up
    expect(server.requests.map((r) => r.path)).toEqual(["/api/v1/search/videos", "/api/v1/videos/removed", `/api/v1/videos/${A}`]);
  });
});

describe("PeerTube adapter (SepiaSearch index)", () => {
  /** SepiaSearch at /sepia; the hits' home instances at /framatube.org and /tilvids.com. */
  const sepiaApi: FixtureHandler = ({ path, params }, origin) => {
    if (path === "/sepia/api/v1/search/videos") {
      if (params.get("search") === "nourl") {
        const { data } = fixtureJson<{ data: Record<string, unknown>[] }>("sepiasearch-search.json");
        return { body: { total: 1, data: [{ ...data[0], url: null }] } };
      }
      const text = fixtureText("sepiasearch-search.json")
        .replaceAll("https://framatube.org", `${origin}/framatube.org`)
        .replaceAll("https://tilvids.com", `${origin}/tilvids.com`);
      return { body: JSON.parse(text) as unknown };
    }
    const detail = /^\/(framatube\.org|tilvids\.com)\/api\/v1\/videos\/([^/]+)$/.exec(path);
    const video = detail && videos()[detail[2]];
    return video && (video.account as { host: string }).host === detail[1] ? { body: video } : undefined;
  };

  const sepiaWith = adapterPerTest((server) =>
    createPeerTube({
      id: "sepiasearch",
      name: "SepiaSearch",
      description: "index",
      homepage: "https://sepiasearch.org/",
      apiUrl: `${server.origin}/sepia`,
      index: true,
    }),
  );

  // The page URLs come from each instance's own answer (the fixtures keep the public hosts).
  it("looks each hit up on its own instance and uses the index's absolute thumbnails", async () => {
    const { source, server } = await sepiaWith(sepiaApi);
    const page = await source.search(request(), server.context);
    const origin = server.origin;

    expect(server.requests.map((r) => r.path)).toEqual([
      "/sepia/api/v1/search/videos",
      `/framatube.org/api/v1/videos/${A}`,
      `/tilvids.com/api/v1/videos/${G}`,
    ]);
    expect(page.items.map((i) => [i.remoteId, i.mediaUrl, i.thumbnailUrl, i.pageUrl, i.author])).toEqual([
      [
        A,
        `https://framatube.org/static/web-videos/${A}-1080.mp4`,
        `${origin}/framatube.org/lazy-static/thumbnails/${A}.jpg`,
        `https://framatube.org/videos/watch/${A}`,
        "Framasoft",
      ],
      // split audio/video (PeerTube 7): no file has sound, so the best video-only file is taken
      [
        G,
        `https://tilvids.com/static/streaming-playlists/hls/${G}/${G}-1080-fragmented.mp4`,
        `${origin}/tilvids.com/lazy-static/thumbnails/${G}.jpg`,
        `https://tilvids.com/videos/watch/${G}`,
        "Woodland Films",
      ],
    ]);
    expect(page.nextCursor).toBeNull();

    await expectSourceError(
      source.search(request({ query: "nourl" }), server.context),
      /^SepiaSearch: malformed response \(result .+ has no watch url\)$/,
    );
  });
});

// Real responses, recorded by NewPipeExtractor's tests on tilvids.com (2025-07-12): a video search (4 results) and the
// detail of its fourth hit, an HLS-only video; see tests/fixtures/sources/peertube-recorded-tilvids.provenance.md.
// The other three hits' details were not recorded: the test server answers 404 for them.
describe("PeerTube adapter on recorded responses", () => {
  const HLS_ONLY = "41342cb4-6fa8-402d-a116-1f63a7f438a3";
  const search = () => fixtureJson<{ total: number; data: { uuid: string }[] }>("peertube-recorded-tilvids-search.json");
  const recordedApi: FixtureHandler = ({ path }) => {
    if (path === "/api/v1/search/videos") return { body: search() };
    if (path === `/api/v1/videos/${HLS_ONLY}`) return { body: fixtureJson("peertube-recorded-tilvids-video.json") };
    return undefined;
  };

  it("takes the largest HLS file of an HLS-only video and reports the hits it could not look up", async () => {
    const { source, server } = await instanceWith(recordedApi);
    const page = await source.search(request(), server.context);
    expect(search().data).toHaveLength(4);
    expect(page.items).toEqual([
      {
        remoteId: HLS_ONLY,
        mediaType: "video",
        // files[] is empty: the 1080p fragmented MP4 of the HLS playlist, not the 360p one
        mediaUrl: `https://tilvids.com/static/streaming-playlists/hls/${HLS_ONLY}/${HLS_ONLY}-1080-fragmented.mp4`,
        pageUrl: `https://tilvids.com/videos/watch/${HLS_ONLY}`,
        thumbnailUrl: `${server.origin}/lazy-static/thumbnails/${HLS_ONLY}.jpg`,
        title: "A Goodbye to Flash Games",
        author: "Marinauts",
        // licence { id: null, label: "Unknown" }: no license
        license: undefined,
      },
    ]);
    const gone = "no longer on its instance, deleted or made private since it was indexed (404)";
    expect(page.dropped).toEqual([
      { remoteId: "50202f69-b2ca-4ec1-86a2-732de50f6d5a", reason: gone },
      { remoteId: "458a94e9-f025-42b1-b5cc-4765ca1ae344", reason: gone },
      { remoteId: "d77382b5-38b4-44e1-aea5-65ac24beb678", reason: gone },
    ]);
    // 4 results of a total of 9: the search goes on at 4.
    expect(page.nextCursor).toBe("4");
  });
});
