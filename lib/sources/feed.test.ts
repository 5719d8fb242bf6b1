import { describe, expect, it } from "vitest";
import { createFeed } from "@/lib/sources/feed";
import { fixtureText, TEST_USER_AGENT, type FixtureHandler, type FixtureReply } from "@/tests/support/source-test-server";
import { expectSourceError, requestWith, serverPerTest } from "@/tests/support/source-test-kit";

const source = createFeed({ id: "feed", name: "RSS / Atom / JSON Feed" });

const request = requestWith({ query: "", mediaTypes: "both" });

const feeds: FixtureHandler = ({ path }): FixtureReply | undefined => {
  switch (path) {
    case "/feed.xml":
      return { body: fixtureText("feed-rss.xml"), headers: { "content-type": "application/rss+xml; charset=utf-8" } };
    case "/atom.xml":
      return { body: fixtureText("feed-atom.xml"), headers: { "content-type": "application/atom+xml" } };
    case "/feed.json":
      return { body: fixtureText("feed-json.json"), headers: { "content-type": "application/feed+json" } };
    case "/unlabelled.json":
      return { body: fixtureText("feed-json.json"), headers: { "content-type": "text/plain" } };
    case "/page.html":
      return { body: "<!doctype html><html><head><title>Blog</title></head><body><img src=/a.jpg></body></html>" };
    case "/broken.json":
      return { body: '{"version": "https://jsonfeed.org/version/1.1", "items": [', headers: { "content-type": "application/json" } };
    case "/api.json":
      return { body: { data: [{ id: 1 }] } };
    case "/down.xml":
      return { status: 503, headers: { "retry-after": "20" }, body: "busy" };
    default:
      return undefined;
  }
};

const startWith = serverPerTest();
const start = () => startWith(feeds);

describe("Feed adapter", () => {
  it("reads RSS enclosures and Media RSS content, skipping audio, duplicates and non-http URLs", async () => {
    const server = await start();
    const page = await source.search(request({ targetUrls: [`${server.origin}/feed.xml`] }), server.context);

    expect(server.requests.map((r) => r.path)).toEqual(["/feed.xml"]);
    expect(server.requests[0].headers["user-agent"]).toBe(TEST_USER_AGENT);
    expect(page.items).toEqual([
      {
        remoteId: "https://cdn.nightsky.example/2026/10/lofoten-aurora.jpg",
        mediaType: "image",
        mediaUrl: "https://cdn.nightsky.example/2026/10/lofoten-aurora.jpg",
        thumbnailUrl: "https://cdn.nightsky.example/2026/10/lofoten-aurora-300x200.jpg",
        pageUrl: "https://nightsky.example/2026/10/aurora-lofoten/",
        title: "Aurora over Lofoten & the fjords",
        author: "Ingrid Solberg",
      },
      {
        remoteId: "https://cdn.nightsky.example/video/corona-timelapse.mp4",
        mediaType: "video",
        mediaUrl: "https://cdn.nightsky.example/video/corona-timelapse.mp4",
        thumbnailUrl: undefined,
        pageUrl: "https://nightsky.example/podcast/12/",
        title: "Corona timelapse",
        author: "editor@nightsky.example (Ola Nordmann)",
      },
      expect.objectContaining({
        mediaUrl: "https://cdn.nightsky.example/video/corona-still.webp",
        mediaType: "image",
        title: "Episode 12: chasing the corona",
      }),
      // Relative URLs resolve against the feed; an empty type falls back to the extension.
      expect.objectContaining({
        mediaUrl: `${server.origin}/uploads/quick-snap.png`,
        mediaType: "image",
        pageUrl: `${server.origin}/2026/09/quick-snap/`,
        title: "Quick snap",
      }),
    ]);
    expect(page.nextCursor).toBeNull();
  });

  it("reads Atom enclosure links, finding Media RSS under the document's own prefix", async () => {
    const server = await start();
    const page = await source.search(request({ targetUrls: [`${server.origin}/atom.xml`] }), server.context);
    expect(page.items).toEqual([
      {
        remoteId: "https://media.auroracam.example/2026-10-30.mp4",
        mediaType: "video",
        mediaUrl: "https://media.auroracam.example/2026-10-30.mp4",
        thumbnailUrl: undefined,
        pageUrl: "https://auroracam.example/2026/10/30/",
        title: "Night sequence",
        author: "Aurora Cam Bot",
      },
      expect.objectContaining({
        mediaUrl: "https://media.auroracam.example/2026-10-30-peak.png",
        mediaType: "image",
        title: "Last night's aurora, full sequence",
      }),
      // The second entry only has a Flash player (skipped) and a thumbnail.
    ]);
  });

  it("reads JSON Feed attachments, by content type or by a leading brace", async () => {
    const server = await start();
    const page = await source.search(
      request({ targetUrls: [`${server.origin}/feed.json`, `${server.origin}/unlabelled.json`] }),
      server.context,
    );
    expect(page.items).toEqual([
      {
        remoteId: "https://polardiaries.example/img/aurora-station.webp",
        mediaType: "image",
        mediaUrl: "https://polardiaries.example/img/aurora-station.webp",
        thumbnailUrl: "https://polardiaries.example/img/aurora-station-thumb.jpg",
        pageUrl: "https://polardiaries.example/2026/10/28/aurora/",
        title: "Aurora over the station",
        author: "Dr. Maren Holt",
      },
      expect.objectContaining({
        mediaUrl: "https://polardiaries.example/video/aurora-station.mp4",
        mediaType: "video",
        title: "Aurora from the research station",
      }),
    ]);
    expect(page.nextCursor).toBe("1");
    const second = await source.search(
      request({ targetUrls: [`${server.origin}/feed.json`, `${server.origin}/unlabelled.json`], cursor: "1" }),
      server.context,
    );
    expect(second.items.map((i) => i.mediaType)).toEqual(["image", "video"]);
    expect(second.nextCursor).toBeNull();
  });

  it("honours the media-type filter", async () => {
    const server = await start();
    const targetUrls = [`${server.origin}/feed.xml`];
    const videos = await source.search(request({ targetUrls, mediaTypes: "videos" }), server.context);
    expect(videos.items.map((i) => i.mediaUrl)).toEqual(["https://cdn.nightsky.example/video/corona-timelapse.mp4"]);
    const images = await source.search(request({ targetUrls, mediaTypes: "images" }), server.context);
    expect(images.items).toHaveLength(3);
    expect(images.items.every((i) => i.mediaType === "image")).toBe(true);
  });

  it("walks the feeds one per call, resuming inside a feed cut by the limit", async () => {
    const server = await start();
    const targetUrls = [`${server.origin}/feed.xml`, `${server.origin}/atom.xml`];
    const urls: string[] = [];
    const cursors: (string | null)[] = [];
    let cursor: string | null = null;
    do {
      const page = await source.search(request({ targetUrls, limit: 3, cursor }), server.context);
      expect(page.items.length).toBeLessThanOrEqual(3);
      urls.push(...page.items.map((i) => i.mediaUrl));
      cursor = page.nextCursor;
      cursors.push(cursor);
    } while (cursor !== null);
    expect(cursors).toEqual(["0:3", "1", null]);
    expect(urls).toHaveLength(6);
    expect(urls.at(-1)).toBe("https://media.auroracam.example/2026-10-30-peak.png");
  });

  it("finishes at once without target URLs and rejects a cursor it did not issue", async () => {
    const server = await start();
    expect(await source.search(request(), server.context)).toEqual({ items: [], nextCursor: null });
    await expectSourceError(
      source.search(request({ targetUrls: [`${server.origin}/feed.xml`], cursor: "x" }), server.context),
      /^Feed: invalid cursor "x"$/,
    );
    expect(server.requests).toHaveLength(0);
  });

  it("reports pages that are not feeds, broken feeds and HTTP failures as SourceErrors", async () => {
    const server = await start();
    const search = (path: string) => source.search(request({ targetUrls: [`${server.origin}${path}`] }), server.context);

    const html = await expectSourceError(
      search("/page.html"),
      /^Feed: http:\/\/127\.0\.0\.1:\d+\/page\.html is not an RSS, Atom or JSON feed \(text\/html; charset=utf-8\)$/,
    );
    expect(html.retryable).toBe(false);
    await expectSourceError(
      search("/broken.json"),
      /^Feed: malformed response \(http:\/\/127\.0\.0\.1:\d+\/broken\.json is not valid JSON\)$/,
    );
    await expectSourceError(search("/api.json"), /^Feed: http:\/\/127\.0\.0\.1:\d+\/api\.json is not a JSON Feed \(/);
    const down = await expectSourceError(search("/down.xml"), /^Feed: HTTP 503 from 127\.0\.0\.1:\d+$/);
    expect([down.retryable, down.retryAfterMs]).toEqual([true, 20_000]);
    expect((await expectSourceError(search("/missing.xml"), /^Feed: HTTP 404 from /)).retryable).toBe(false);
  });
});
