import { describe, expect, it } from "vitest";
import { createSitemap } from "@/lib/sources/sitemap";
import { fixtureText, TEST_USER_AGENT, type FixtureHandler, type FixtureReply } from "@/tests/support/source-test-server";
import { expectSourceError, requestWith, serverPerTest, walkPages } from "@/tests/support/source-test-kit";

const source = createSitemap({ id: "sitemap", name: "Sitemap images and videos" });
const XML = { "content-type": "application/xml; charset=utf-8" };

const request = requestWith({ query: "", mediaTypes: "both" });

/** A site whose sitemap index lists an image/video sitemap, a nested index and a posts sitemap. */
const site: FixtureHandler = ({ path }, origin): FixtureReply | undefined => {
  switch (path) {
    case "/sitemap-index.xml":
      return { body: fixtureText("sitemap-index.xml").replaceAll("ORIGIN", origin), headers: XML };
    case "/nested-index.xml":
      return { body: fixtureText("sitemap-index.xml").replaceAll("ORIGIN", origin), headers: XML };
    case "/sitemap-images.xml":
      return { body: fixtureText("sitemap-images.xml"), headers: XML };
    case "/sitemap-posts.xml":
      return { body: fixtureText("sitemap-posts.xml"), headers: { "content-type": "text/xml" } };
    case "/empty-index.xml":
      return {
        body: '<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"></sitemapindex>',
        headers: XML,
      };
    case "/page.html":
      return { body: "<!doctype html><html><body><img src=/a.jpg></body></html>" };
    case "/sitemap.xml.gz":
      return { body: "\u001f\u008b\u0008\u0000binary", headers: { "content-type": "application/x-gzip" } };
    case "/news/sitemap-article-2015-18.xml":
      return { body: fixtureText("sitemap-crawler-commons-hebdenbridgetimes.xml"), headers: XML };
    case "/busy.xml":
      return { status: 429, headers: { "retry-after": "7" }, body: "slow down" };
    default:
      return undefined;
  }
};

const startWith = serverPerTest();
const start = () => startWith(site);

describe("Sitemap adapter", () => {
  it("reads image and video sitemap entries, reporting player-only videos", async () => {
    const server = await start();
    const page = await source.search(request({ targetUrls: [`${server.origin}/sitemap-images.xml`] }), server.context);

    expect(server.requests.map((r) => r.path)).toEqual(["/sitemap-images.xml"]);
    expect(server.requests[0].headers["user-agent"]).toBe(TEST_USER_AGENT);
    expect(page.items).toEqual([
      {
        remoteId: "https://cdn.example.com/photos/aurora-1.jpg",
        mediaType: "image",
        mediaUrl: "https://cdn.example.com/photos/aurora-1.jpg",
        pageUrl: "https://www.example.com/gallery/aurora",
        title: "Aurora over the harbour",
        licenseUrl: "https://creativecommons.org/licenses/by/4.0/",
      },
      {
        // No title: the caption stands in.
        remoteId: "https://cdn.example.com/photos/aurora-2.png",
        mediaType: "image",
        mediaUrl: "https://cdn.example.com/photos/aurora-2.png",
        pageUrl: "https://www.example.com/gallery/aurora",
        title: "Second burst, looking north.",
        licenseUrl: undefined,
      },
      {
        remoteId: "https://cdn.example.com/video/timelapse-4k.mp4",
        mediaType: "video",
        mediaUrl: "https://cdn.example.com/video/timelapse-4k.mp4",
        pageUrl: "https://www.example.com/videos/aurora-timelapse",
        thumbnailUrl: "https://cdn.example.com/thumbs/timelapse.jpg",
        title: "Aurora timelapse, 4K",
        author: "Example Studio",
      },
    ]);
    expect(page.dropped).toEqual([
      { remoteId: "https://www.example.com/videos/aurora-timelapse", reason: "a video with only a player (no video:content_loc)" },
    ]);
    expect(page.nextCursor).toBeNull();
  });

  it("honours the media-type filter", async () => {
    const server = await start();
    const targetUrls = [`${server.origin}/sitemap-images.xml`];
    const videos = await source.search(request({ targetUrls, mediaTypes: "videos" }), server.context);
    expect(videos.items.map((i) => i.mediaUrl)).toEqual(["https://cdn.example.com/video/timelapse-4k.mp4"]);
    const images = await source.search(request({ targetUrls, mediaTypes: "images" }), server.context);
    expect(images.items.map((i) => i.mediaType)).toEqual(["image", "image"]);
  });

  it("follows a sitemap index one level, one child sitemap per call", async () => {
    const server = await start();
    const targetUrls = [`${server.origin}/sitemap-index.xml`];
    const walked = await walkPages(source, request({ targetUrls, mediaTypes: "images" }), server.context, { maxCalls: 10 });
    const { cursors } = walked;
    const urls = walked.items.map((i) => i.mediaUrl);
    const dropped = walked.dropped.flat().map((d) => `${d.remoteId} ${d.reason}`);

    expect(cursors).toEqual(["~0.1", "~0.2", null]);
    // The nested index is read but not followed (it is reported); the image prefix "img" is the document's own.
    expect(server.requests.map((r) => r.path)).toEqual([
      "/sitemap-index.xml",
      "/sitemap-images.xml",
      "/sitemap-index.xml",
      "/nested-index.xml",
      "/sitemap-index.xml",
      "/sitemap-posts.xml",
    ]);
    expect(urls).toEqual([
      "https://cdn.example.com/photos/aurora-1.jpg",
      "https://cdn.example.com/photos/aurora-2.png",
      `${server.origin}/uploads/guide-cover.webp`,
      "https://cdn.example.com/photos/aurora-1.jpg",
    ]);
    expect(dropped).toEqual([
      "https://cdn.example.com/video/timelapse-4k.mp4 a video (the job asks for images only)",
      "https://www.example.com/videos/aurora-timelapse a video with only a player (no video:content_loc)",
      `${server.origin}/nested-index.xml a sitemap index inside a sitemap index (not followed)`,
    ]);
  });

  it("resumes inside a sitemap cut by the limit and moves on to the next target", async () => {
    const server = await start();
    const targetUrls = [`${server.origin}/sitemap-index.xml`, `${server.origin}/sitemap-posts.xml`];
    const first = await source.search(request({ targetUrls, limit: 2 }), server.context);
    expect(first.items.map((i) => i.mediaType)).toEqual(["image", "image"]);
    expect(first.nextCursor).toBe("~0:2");
    const second = await source.search(request({ targetUrls, limit: 2, cursor: first.nextCursor }), server.context);
    expect(second.items.map((i) => i.mediaUrl)).toEqual(["https://cdn.example.com/video/timelapse-4k.mp4"]);
    expect(second.nextCursor).toBe("~0.1");
    const last = await source.search(request({ targetUrls, limit: 2, cursor: "~0.2" }), server.context);
    expect(last.nextCursor).toBe("~1");
    const posts = await source.search(request({ targetUrls, limit: 2, cursor: "~1" }), server.context);
    expect(posts.items).toHaveLength(2);
    expect(posts.nextCursor).toBeNull();
  });

  it("moves past an empty index and finishes without targets", async () => {
    const server = await start();
    const page = await source.search(
      request({ targetUrls: [`${server.origin}/empty-index.xml`, `${server.origin}/sitemap-posts.xml`] }),
      server.context,
    );
    expect(page).toEqual({
      items: [],
      nextCursor: "~1",
      dropped: [{ remoteId: `${server.origin}/empty-index.xml`, reason: "a sitemap index that lists no sitemaps" }],
    });
    expect(await source.search(request(), server.context)).toEqual({ items: [], nextCursor: null });
  });

  it("rejects cursors it did not issue", async () => {
    const server = await start();
    const targetUrls = [`${server.origin}/sitemap-images.xml`];
    const invalid = (cursor: string) => new RegExp(`^Sitemap images and videos: invalid cursor "${cursor.replace(/[.~]/g, "\\$&")}"$`);
    await expectSourceError(source.search(request({ targetUrls, cursor: "a.b" }), server.context), invalid("a.b"));
    // The old "<target>.<child>" form is not a cursor of the one format.
    await expectSourceError(source.search(request({ targetUrls, cursor: "0.1" }), server.context), invalid("0.1"));
    await expectSourceError(source.search(request({ targetUrls, cursor: "~a.b" }), server.context), invalid("~a.b"));
    // A child index only makes sense for a sitemap index.
    await expectSourceError(source.search(request({ targetUrls, cursor: "~0.1" }), server.context), invalid("~0.1"));
  });

  it("reports documents that are not sitemaps and HTTP failures as SourceErrors", async () => {
    const server = await start();
    const search = (path: string) => source.search(request({ targetUrls: [`${server.origin}${path}`] }), server.context);

    const html = await expectSourceError(
      search("/page.html"),
      /^Sitemap images and videos: http:\/\/127\.0\.0\.1:\d+\/page\.html is not a sitemap \(text\/html; charset=utf-8\)$/,
    );
    expect(html.retryable).toBe(false);
    await expectSourceError(
      search("/sitemap.xml.gz"),
      /is not a sitemap \(application\/x-gzip; gzip-compressed sitemaps are not supported\)$/,
    );
    const busy = await expectSourceError(search("/busy.xml"), /^Sitemap images and videos: HTTP 429 from 127\.0\.0\.1:\d+$/);
    expect([busy.retryable, busy.retryAfterMs]).toEqual([true, 7_000]);
    expect((await expectSourceError(search("/missing.xml"), /^Sitemap images and videos: HTTP 404 from /)).retryable).toBe(false);
  });

  it("reads a recorded news sitemap: 78 distinct images, 6 player-only videos reported", async () => {
    // hebdenbridgetimes.co.uk's sitemap-article-2015-18.xml as saved in crawler-commons' tests: 74 <url>, 94 <image:image>
    // (16 repeat an image already listed), 6 Brightcove <video:video> with a player_loc and no content_loc.
    const server = await start();
    const page = await source.search(request({ targetUrls: [`${server.origin}/news/sitemap-article-2015-18.xml`] }), server.context);
    const site = "http://www.hebdenbridgetimes.co.uk";
    expect(page.items).toHaveLength(78);
    expect(page.items.every((i) => i.mediaType === "image" && i.remoteId === i.mediaUrl)).toBe(true);
    expect(page.items[0]).toEqual({
      remoteId: `${site}/webimage/1.7242578!/image/417104257.jpg_gen/derivatives/landscape_595/417104257.jpg`,
      mediaType: "image",
      mediaUrl: `${site}/webimage/1.7242578!/image/417104257.jpg_gen/derivatives/landscape_595/417104257.jpg`,
      pageUrl: `${site}/news/local/video-tour-de-yorkshire-in-calderdale-1-7242580`,
      title: "Tour De Yorkshire passes through Nutclough, Hebden Bridge",
      licenseUrl: undefined,
    });
    // An entry with neither image:title nor image:caption has no title.
    expect(page.items[2]).toMatchObject({
      mediaUrl: `${site}/webimage/1.5906109!/image/2921519132.jpg_gen/derivatives/landscape_595/2921519132.jpg`,
      pageUrl: `${site}/sport/local-sport/fax-ensure-donny-never-at-races-1-7242483`,
      title: undefined,
    });
    expect(page.dropped).toHaveLength(6);
    expect(page.dropped?.[0]).toEqual({
      remoteId: `${site}/news/local/video-tour-de-yorkshire-in-calderdale-1-7242580`,
      reason: "a video with only a player (no video:content_loc)",
    });
    expect(page.nextCursor).toBeNull();

    // Cut by the limit, the cursor counts the records handled (the video drop is the page's second record).
    const first = await source.search(
      request({ targetUrls: [`${server.origin}/news/sitemap-article-2015-18.xml`], limit: 2 }),
      server.context,
    );
    expect(first.items).toHaveLength(2);
    expect(first.dropped).toHaveLength(1);
    expect(first.nextCursor).toBe("~0:3");
  });
});
