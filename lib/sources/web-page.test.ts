import { describe, expect, it } from "vitest";
import { fixtureText, TEST_USER_AGENT, type FixtureHandler, type FixtureReply } from "@/tests/support/source-test-server";
import { expectSourceError, requestWith, serverPerTest, walkPages } from "@/tests/support/source-test-kit";
import { SourceError, type SourceItem } from "@/lib/sources/types";
import { webPage } from "@/lib/sources/web-page";

/** A small site: the gallery page, an article reached through a redirect, a PNG and a 404. */
const site: FixtureHandler = ({ path }, origin): FixtureReply | undefined => {
  switch (path) {
    case "/gallery/foxes.html":
      return { body: fixtureText("web-page-gallery.html") };
    case "/go/badgers":
      return { status: 302, headers: { location: `${origin}/articles/2026/badger-diary.html` }, body: "" };
    case "/articles/2026/badger-diary.html":
      return { body: fixtureText("web-page-article.html") };
    case "/photo.png":
      return { headers: { "content-type": "image/png" }, body: "\x89PNG\r\n\x1a\n" };
    case "/stars/adele.html":
      return { body: fixtureText("web-page-trafilatura-jolie.html") };
    case "/text-only.html":
      return { body: "<!doctype html><html><head><title>Notes</title></head><body><p>No pictures today.</p></body></html>" };
    case "/logos.html":
      return {
        body: '<!doctype html><html><body><img src="/logo.svg" alt="Logo"><img src="/shot.HEIC" alt="Shot"><img src="/fox.jpg" alt="Fox"></body></html>',
      };
    case "/busy.html":
      return { status: 503, headers: { "retry-after": "30" }, body: "busy" };
    default:
      return undefined;
  }
};

const startWith = serverPerTest();
const start = () => startWith(site);

const request = requestWith({ query: "", mediaTypes: "both" });

function galleryItems(origin: string): Pick<SourceItem, "mediaUrl" | "mediaType" | "title">[] {
  const g = `${origin}/cdn/foxes/`; // the page lives in /gallery/, its <base href> says /cdn/foxes/
  return [
    { mediaUrl: "https://cdn.example.org/og/fox-card.jpg", mediaType: "image", title: "A red fox looking at the camera" },
    { mediaUrl: "https://cdn.example.org/og/fox-card-secure.jpg", mediaType: "image", title: "A red fox looking at the camera" },
    { mediaUrl: "https://cdn.example.org/video/fox-run.mp4", mediaType: "video", title: "Foxes of the northern woods" },
    { mediaUrl: `${g}images/twitter-fox.png`, mediaType: "image", title: "A red fox looking at the camera" },
    { mediaUrl: `${origin}/static/logo@2x.png`, mediaType: "image", title: "Site logo" },
    { mediaUrl: `${g}images/fox-1200.jpg`, mediaType: "image", title: "Red fox in snow" },
    { mediaUrl: "https://img.example.net/c_fill,w_1600,h_1200/cat.webp", mediaType: "image", title: "cat.webp" },
    { mediaUrl: `${g}images/owl-1600.avif`, mediaType: "image", title: "Snowy owl" },
    { mediaUrl: `${g}media/intro.webm`, mediaType: "video", title: "Intro" },
    { mediaUrl: `${g}media/badger.mp4`, mediaType: "video", title: "badger.mp4" },
    { mediaUrl: `${g}downloads/fox-original.tiff`, mediaType: "image", title: "Full-resolution fox (TIFF)" },
    { mediaUrl: "https://cdn.example.org/clips/hedgehog.MOV", mediaType: "video", title: "Hedgehog clip" },
  ];
}

describe("Web page adapter", () => {
  it("extracts every tag form once, resolved against <base href>, in document order", async () => {
    const srv = await start();
    const pageUrl = `${srv.origin}/gallery/foxes.html`;
    const page = await webPage.search(request({ targetUrls: [pageUrl] }), srv.context);

    expect(srv.requests[0].headers["user-agent"]).toBe(TEST_USER_AGENT);
    expect(page.items.map(({ mediaUrl, mediaType, title }) => ({ mediaUrl, mediaType, title }))).toEqual(galleryItems(srv.origin));
    for (const item of page.items) {
      expect(item.remoteId).toBe(item.mediaUrl);
      expect(item.pageUrl).toBe(pageUrl);
    }
    const urls = page.items.map((i) => i.mediaUrl).join(" ");
    expect(urls).not.toMatch(
      /poster|data:|javascript:|blob:|mailto:|about\.html|report\.pdf|badger\.webm|badger-audio|fox-480|fox-small|owl\.jpg/,
    );
    expect(page.nextCursor).toBeNull();
  });

  it("resolves relative URLs against the page's final URL after a redirect", async () => {
    const srv = await start();
    const page = await webPage.search(request({ targetUrls: [`${srv.origin}/go/badgers`] }), srv.context);
    const finalUrl = `${srv.origin}/articles/2026/badger-diary.html`;
    expect(page.items).toEqual([
      {
        remoteId: `${srv.origin}/articles/2026/photos/badger.jpeg`,
        mediaUrl: `${srv.origin}/articles/2026/photos/badger.jpeg`,
        mediaType: "image",
        pageUrl: finalUrl,
        title: "Badger at the sett",
      },
      {
        remoteId: `${srv.origin}/articles/shared/map.png`,
        mediaUrl: `${srv.origin}/articles/shared/map.png`,
        mediaType: "image",
        pageUrl: finalUrl,
        title: "Map of the sett",
      },
      {
        remoteId: `${srv.origin}/articles/2026/clips/night.m4v`,
        mediaUrl: `${srv.origin}/articles/2026/clips/night.m4v`,
        mediaType: "video",
        pageUrl: finalUrl,
        title: "Night clip",
      },
    ]);
  });

  it("honours the media type filter", async () => {
    const srv = await start();
    const targetUrls = [`${srv.origin}/gallery/foxes.html`];
    const images = await webPage.search(request({ targetUrls, mediaTypes: "images" }), srv.context);
    const videos = await webPage.search(request({ targetUrls, mediaTypes: "videos" }), srv.context);
    const all = galleryItems(srv.origin);
    expect(images.items.map((i) => i.mediaUrl)).toEqual(all.filter((i) => i.mediaType === "image").map((i) => i.mediaUrl));
    expect(videos.items.map((i) => i.mediaUrl)).toEqual(all.filter((i) => i.mediaType === "video").map((i) => i.mediaUrl));
  });

  it("respects the limit, resumes where it stopped and moves on to the next page", async () => {
    const srv = await start();
    const targetUrls = [`${srv.origin}/gallery/foxes.html`, `${srv.origin}/go/badgers`];
    const { pages, items } = await walkPages(webPage, request({ targetUrls, limit: 5 }), srv.context, { maxCalls: 50 });

    expect(pages.map((p) => p.items.length)).toEqual([5, 5, 2, 3]);
    expect(pages.map((p) => p.nextCursor)).toEqual(["0:5", "0:10", "1", null]);
    expect(items.map((i) => i.mediaUrl)).toEqual([
      ...galleryItems(srv.origin).map((i) => i.mediaUrl),
      `${srv.origin}/articles/2026/photos/badger.jpeg`,
      `${srv.origin}/articles/shared/map.png`,
      `${srv.origin}/articles/2026/clips/night.m4v`,
    ]);
  });

  it("reports an unreachable page and a non-HTML target as SourceErrors", async () => {
    const srv = await start();
    const missing = await webPage.search(request({ targetUrls: [`${srv.origin}/nowhere.html`] }), srv.context).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(SourceError);
    expect((missing as SourceError).message).toMatch(/^Web page: HTTP 404 from 127\.0\.0\.1:\d+$/);

    const png = await webPage.search(request({ targetUrls: [`${srv.origin}/photo.png`] }), srv.context).catch((e: unknown) => e);
    expect(png).toBeInstanceOf(SourceError);
    expect((png as SourceError).message).toBe(
      `Web page: ${srv.origin}/photo.png is not an HTML page (image/png); use Direct links for media files`,
    );
  });

  it("refuses a URL the fetch guard blocks, as a non-retryable SourceError", async () => {
    const srv = await start();
    const blocked = await webPage.search(request({ targetUrls: ["http://10.0.0.7/private.html"] }), srv.context).catch((e: unknown) => e);
    expect(blocked).toBeInstanceOf(SourceError);
    expect((blocked as SourceError).message).toMatch(/^Web page: /);
    expect((blocked as SourceError).retryable).toBe(false);
    expect(srv.requests).toHaveLength(0);
  });

  it("reports a page without media, and media in formats Trawl refuses, as dropped records", async () => {
    const srv = await start();
    const targetUrls = [`${srv.origin}/text-only.html`, `${srv.origin}/logos.html`];
    const empty = await webPage.search(request({ targetUrls }), srv.context);
    // The empty page does not end the walk: the next target is the cursor.
    expect(empty).toEqual({
      items: [],
      nextCursor: "1",
      dropped: [{ remoteId: `${srv.origin}/text-only.html`, reason: "no images or videos on the page" }],
    });
    const logos = await webPage.search(request({ targetUrls, cursor: "1" }), srv.context);
    expect(logos.items.map((i) => i.mediaUrl)).toEqual([`${srv.origin}/fox.jpg`]);
    expect(logos.dropped).toEqual([
      { remoteId: `${srv.origin}/logo.svg`, reason: "an SVG drawing, which Trawl does not store" },
      { remoteId: `${srv.origin}/shot.HEIC`, reason: "a .heic file, which Trawl cannot store" },
    ]);
    expect(logos.nextCursor).toBeNull();
  });

  it("fails the call on a target that cannot be fetched, keeping the cursor on it (a busy host is retryable)", async () => {
    const srv = await start();
    const targetUrls = [`${srv.origin}/gallery/foxes.html`, `${srv.origin}/busy.html`, `${srv.origin}/go/badgers`];
    const first = await webPage.search(request({ targetUrls }), srv.context);
    expect(first.nextCursor).toBe("1");
    // The failing target is not skipped: the call fails with its reason, and the job retries this cursor.
    const busy = await expectSourceError(webPage.search(request({ targetUrls, cursor: "1" }), srv.context), /^Web page: HTTP 503 from /);
    expect([busy.retryable, busy.retryAfterMs]).toEqual([true, 30_000]);
    const gone = await expectSourceError(
      webPage.search(request({ targetUrls: [`${srv.origin}/nowhere.html`, `${srv.origin}/go/badgers`] }), srv.context),
      /^Web page: HTTP 404 from /,
    );
    expect(gone.retryable).toBe(false);
  });

  it("rejects a cursor it did not issue", async () => {
    const srv = await start();
    await expectSourceError(
      webPage.search(request({ targetUrls: [`${srv.origin}/gallery/foxes.html`], cursor: "x" }), srv.context),
      /^Web page: invalid cursor "x"$/,
    );
    expect(srv.requests).toHaveLength(0);
  });
});

describe("Web page adapter on a recorded page", () => {
  // jolie.de's Adele article as saved by trafilatura's tests (tests/cache/jolie.de.adele.html), served at /stars/adele.html.
  it("finds the og:/twitter: images and the largest rendition of each <picture>, once each", async () => {
    const srv = await start();
    const pageUrl = `${srv.origin}/stars/adele.html`;
    const page = await webPage.search(request({ targetUrls: [pageUrl] }), srv.context);
    const files = "https://www.jolie.de/sites/default/files/styles"; // the meta tags' absolute URLs
    const local = `${srv.origin}/sites/default/files/styles`; // the page's relative ones, resolved against where it was served
    // 10 media tags: twitter:image, og:image, 5 <picture> (two show the same Bella Hadid photo), 1 author <img>
    // (the 4 others are the pictures' own <img>), no media links: 7 distinct files.
    expect(page.items.map(({ mediaUrl, title }) => [mediaUrl, title])).toEqual([
      [
        `${files}/twitter/public/2019-06/gettyimages-634975860.jpg?h=787478c4`,
        "Adele 10 Kilo abgenommen: Sie zeigt sich schlanker denn je!",
      ],
      [
        `${files}/facebook/public/2019-06/gettyimages-634975860.jpg?h=787478c4`,
        "Adele 10 Kilo abgenommen: Sie zeigt sich schlanker denn je!",
      ],
      // The article's <picture> offers 1024w, 768w and 360w renditions; its <source>s sit in picturefill's hidden <video>.
      [`${local}/image1024w/public/2019-06/gettyimages-634975860.jpg?h=37369d18`, "Adele"],
      [`${local}/image360w/public/2019-08/bella-hadid-sexy-im-urlaub.jpg?h=98c520fc`, "bella hadid"],
      [`${local}/image_author/public/pixel.jpg`, "Profile picture for user Anna Galazka"],
      [`${local}/image360w/public/2019-04/luke-hemsworth.jpg?h=ca67c0b7`, "Luke Hemsworth"],
      [`${local}/image360w/public/2019-08/heidiklum_tomkaulitz.jpg?h=0fa2c3b2`, "Heidi Klum und Tom Kaulitz"],
    ]);
    for (const item of page.items) expect(item).toMatchObject({ remoteId: item.mediaUrl, mediaType: "image", pageUrl });
    expect(page.dropped).toBeUndefined();
    expect(page.nextCursor).toBeNull();
  });
});
