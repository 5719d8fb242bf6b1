import { describe, expect, it } from "vitest";
import { createFeed } from "@/lib/sources/feed";
import { fixtureText, TEST_USER_AGENT, type FixtureHandler, type FixtureReply } from "@/tests/support/source-test-server";
import { expectSourceError, requestWith, serverPerTest, walkPages } from "@/tests/support/source-test-kit";

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
    case "/guardian.xml":
      return { body: fixtureText("feed-rss-parser-guardian.xml"), headers: { "content-type": "application/rss+xml" } };
    case "/youtube.xml":
      return { body: fixtureText("feed-rss-parser-youtube-atom.xml"), headers: { "content-type": "application/atom+xml" } };
    case "/odd.json":
      return {
        body: {
          version: "https://jsonfeed.org/version/1.1",
          items: [
            { id: "a", title: "Broken attachment", attachments: [{ url: "https://odd.example/a.jpg" }] },
            { id: "b", title: "Icon", attachments: [{ url: "https://odd.example/logo.svg", mime_type: "image/svg+xml" }] },
            { id: "c", title: "Fine", attachments: [{ url: "https://odd.example/c.jpg", mime_type: "image/jpeg" }] },
          ],
        },
      };
    case "/text.xml":
      return { body: '<?xml version="1.0"?><rss version="2.0"><channel><title>T</title><item><title>Words</title></item></channel></rss>' };
    case "/down.xml":
      return { status: 503, headers: { "retry-after": "20" }, body: "busy" };
    default:
      return undefined;
  }
};

const startWith = serverPerTest();
const start = () => startWith(feeds);

describe("Feed adapter", () => {
  it("reads RSS enclosures and Media RSS content, reporting audio and non-http URLs, skipping duplicates", async () => {
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
    expect(page.dropped).toEqual([
      {
        remoteId: "https://cdn.nightsky.example/podcast/episode-12.mp3",
        reason: "an enclosure of type audio/mpeg (not an image or video)",
      },
      { remoteId: "javascript:alert(1)", reason: "a link that is not an http(s) URL" },
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
      // The second entry only has a Flash player (reported) and a thumbnail.
    ]);
    expect(page.dropped).toEqual([
      {
        remoteId: "https://auroracam.example/player.swf?v=300",
        reason: "a file of type application/x-shockwave-flash, which Trawl cannot store",
      },
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
    const { items, cursors } = await walkPages(source, request({ targetUrls, limit: 3 }), server.context);
    const urls = items.map((i) => i.mediaUrl);
    // The skip counts the feed's records handled (the audio enclosure dropped among them), not the items returned.
    expect(cursors).toEqual(["0:4", "1", null]);
    expect(urls).toHaveLength(6);
    expect(urls.at(-1)).toBe("https://media.auroracam.example/2026-10-30-peak.png");
  });

  it("finishes at once without target URLs and rejects a cursor it did not issue", async () => {
    const server = await start();
    expect(await source.search(request(), server.context)).toEqual({ items: [], nextCursor: null });
    await expectSourceError(
      source.search(request({ targetUrls: [`${server.origin}/feed.xml`], cursor: "x" }), server.context),
      /^RSS \/ Atom \/ JSON Feed: invalid cursor "x"$/,
    );
    expect(server.requests).toHaveLength(0);
  });

  it("reports pages that are not feeds, broken feeds and HTTP failures as SourceErrors", async () => {
    const server = await start();
    const search = (path: string) => source.search(request({ targetUrls: [`${server.origin}${path}`] }), server.context);

    const html = await expectSourceError(
      search("/page.html"),
      /^RSS \/ Atom \/ JSON Feed: http:\/\/127\.0\.0\.1:\d+\/page\.html is not an RSS, Atom or JSON feed \(text\/html; charset=utf-8\)$/,
    );
    expect(html.retryable).toBe(false);
    await expectSourceError(
      search("/broken.json"),
      /^RSS \/ Atom \/ JSON Feed: malformed response \(http:\/\/127\.0\.0\.1:\d+\/broken\.json is not valid JSON\)$/,
    );
    await expectSourceError(search("/api.json"), /^RSS \/ Atom \/ JSON Feed: http:\/\/127\.0\.0\.1:\d+\/api\.json is not a JSON Feed \(/);
    const down = await expectSourceError(search("/down.xml"), /^RSS \/ Atom \/ JSON Feed: HTTP 503 from 127\.0\.0\.1:\d+$/);
    expect([down.retryable, down.retryAfterMs]).toEqual([true, 20_000]);
    expect((await expectSourceError(search("/missing.xml"), /^RSS \/ Atom \/ JSON Feed: HTTP 404 from /)).retryable).toBe(false);
    // A failing feed among several fails the call with its reason; it is not skipped.
    await expectSourceError(
      source.search(request({ targetUrls: [`${server.origin}/feed.xml`, `${server.origin}/down.xml`], cursor: "1" }), server.context),
      /^RSS \/ Atom \/ JSON Feed: HTTP 503 from /,
    );
  });

  it("drops a JSON Feed item that does not match the spec, keeping the rest of the feed", async () => {
    const server = await start();
    const page = await source.search(request({ targetUrls: [`${server.origin}/odd.json`] }), server.context);
    expect(page.items.map((i) => i.mediaUrl)).toEqual(["https://odd.example/c.jpg"]);
    expect(page.dropped).toEqual([
      { remoteId: "a", reason: "a malformed feed item (missing attachments.0.mime_type)" },
      { remoteId: "https://odd.example/logo.svg", reason: "an SVG drawing, which Trawl does not store" },
    ]);
  });

  it("reports a feed without media and goes on to the next feed", async () => {
    const server = await start();
    const targetUrls = [`${server.origin}/text.xml`, `${server.origin}/atom.xml`];
    const page = await source.search(request({ targetUrls }), server.context);
    expect(page).toEqual({
      items: [],
      nextCursor: "1",
      dropped: [{ remoteId: `${server.origin}/text.xml`, reason: "no images or videos enclosed in the feed" }],
    });
  });
});

describe("Feed adapter on recorded feeds", () => {
  it("reads The Guardian's RSS: the larger of each photo's two renditions, credited to its photographer", async () => {
    // rss-parser's test/input/guardian.rss: 55 items, each with two <media:content> of one photo (width 140 and 460).
    const server = await start();
    const page = await source.search(request({ targetUrls: [`${server.origin}/guardian.xml`] }), server.context);
    expect(page.items).toHaveLength(55);
    expect(page.dropped).toBeUndefined();
    expect(page.items.every((i) => i.mediaType === "image" && new URL(i.mediaUrl).searchParams.get("w") === "460")).toBe(true);
    expect(page.items[0]).toEqual({
      remoteId:
        "https://i.guim.co.uk/img/media/b73c8752cd4667c923dff7f1542f1fb20089e421/0_108_3000_1799/master/3000.jpg?w=460&q=55&auto=format&usm=12&fit=max&s=a606a273a90104e57b1e09bc4c0a1e11",
      mediaType: "image",
      mediaUrl:
        "https://i.guim.co.uk/img/media/b73c8752cd4667c923dff7f1542f1fb20089e421/0_108_3000_1799/master/3000.jpg?w=460&q=55&auto=format&usm=12&fit=max&s=a606a273a90104e57b1e09bc4c0a1e11",
      thumbnailUrl: undefined,
      pageUrl: "https://www.theguardian.com/us-news/2018/jan/31/donald-trump-state-of-the-union-address-unity-discord",
      title: "Trump State of the Union address promised unity but emphasized discord",
      // The photographer (media:credit), not the article's writer (dc:creator "David Smith in Washington").
      author: "Networ/Sipa USA/REX/Shutterstock",
    });
    const authors = page.items.map((i) => i.author);
    expect(authors).toContain("Rob Dobi"); // "Illustration: Rob Dobi"
    expect(authors).toContain("Sam Morris/Getty/AP/Others"); // "Composite: Sam Morris/Getty/AP/Others"
  });

  it("reports a YouTube channel's Atom entries, whose only media:content is a Flash player", async () => {
    // rss-parser's test/input/atom-customfields.atom: 15 entries, each a <media:group> with an
    // application/x-shockwave-flash player, a thumbnail and a description; no video file.
    const server = await start();
    const page = await source.search(request({ targetUrls: [`${server.origin}/youtube.xml`] }), server.context);
    expect(page.items).toEqual([]);
    expect(page.dropped).toHaveLength(15);
    expect(page.dropped?.[0]).toEqual({
      remoteId: "https://www.youtube.com/v/lR-w1h5ONOY?version=3",
      reason: "a file of type application/x-shockwave-flash, which Trawl cannot store",
    });
    expect(page.nextCursor).toBeNull();
  });
});
