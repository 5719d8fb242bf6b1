import { beforeEach, describe, expect, it } from "vitest";
import { directLinks } from "@/lib/sources/direct-links";
import type { SourceTestServer } from "@/tests/support/source-test-server";
import { expectSourceError, requestWith, serverPerTest } from "@/tests/support/source-test-kit";
import { SourceError } from "@/lib/sources/types";

const start = serverPerTest();
let server: SourceTestServer;
beforeEach(async () => {
  server = await start(() => undefined);
});

const LINKS = [
  "https://upload.example.org/photos/Red%20fox.JPG",
  "https://cdn.example.org/clips/run.webm#t=10",
  "https://cdn.example.org/download?id=42",
  "https://upload.example.org/photos/Red%20fox.JPG",
  "https://cdn.example.org/clips/run.webm",
  "https://cdn.example.org/stills/den.avif",
];

const request = requestWith({ query: "", targetUrls: LINKS, mediaTypes: "both" });

describe("Direct links adapter", () => {
  it("makes one item per distinct URL without fetching anything", async () => {
    const page = await directLinks.search(request(), server.context);
    expect(page.items).toEqual([
      {
        remoteId: "https://upload.example.org/photos/Red%20fox.JPG",
        mediaType: "image",
        mediaUrl: "https://upload.example.org/photos/Red%20fox.JPG",
        title: "Red fox.JPG",
      },
      {
        remoteId: "https://cdn.example.org/clips/run.webm",
        mediaType: "video",
        mediaUrl: "https://cdn.example.org/clips/run.webm",
        title: "run.webm",
      },
      {
        remoteId: "https://cdn.example.org/download?id=42",
        mediaType: "image",
        mediaUrl: "https://cdn.example.org/download?id=42",
        title: "download",
      },
      {
        remoteId: "https://cdn.example.org/stills/den.avif",
        mediaType: "image",
        mediaUrl: "https://cdn.example.org/stills/den.avif",
        title: "den.avif",
      },
    ]);
    expect(page.nextCursor).toBeNull();
    expect(server.requests).toHaveLength(0);
  });

  it("filters by media type and gives an unknown extension the type the job asked for", async () => {
    const images = await directLinks.search(request({ mediaTypes: "images" }), server.context);
    expect(images.items.map((i) => [i.mediaUrl, i.mediaType])).toEqual([
      ["https://upload.example.org/photos/Red%20fox.JPG", "image"],
      ["https://cdn.example.org/download?id=42", "image"],
      ["https://cdn.example.org/stills/den.avif", "image"],
    ]);
    // A URL whose extension says the other type is reported, not silently skipped.
    expect(images.dropped).toEqual([
      { remoteId: "https://cdn.example.org/clips/run.webm", reason: "a video (the job asks for images only)" },
    ]);
    const videos = await directLinks.search(request({ mediaTypes: "videos" }), server.context);
    expect(videos.items.map((i) => [i.mediaUrl, i.mediaType])).toEqual([
      ["https://cdn.example.org/clips/run.webm", "video"],
      ["https://cdn.example.org/download?id=42", "video"],
    ]);
    expect(videos.dropped?.map((d) => d.remoteId)).toEqual([
      "https://upload.example.org/photos/Red%20fox.JPG",
      "https://cdn.example.org/stills/den.avif",
    ]);
  });

  it("drops a URL whose extension names a format Trawl refuses, without fetching it", async () => {
    const targetUrls = ["https://example.org/logo.svg", "https://example.org/scan.pdf", "https://example.org/IMG_0042.HEIC", LINKS[0]];
    const page = await directLinks.search(request({ targetUrls }), server.context);
    expect(page.items.map((i) => i.mediaUrl)).toEqual([LINKS[0]]);
    expect(page.dropped).toEqual([
      { remoteId: "https://example.org/logo.svg", reason: "an SVG drawing, which Trawl does not store" },
      { remoteId: "https://example.org/scan.pdf", reason: "a .pdf file, which Trawl cannot store" },
      { remoteId: "https://example.org/IMG_0042.HEIC", reason: "a .heic file, which Trawl cannot store" },
    ]);
    expect(server.requests).toHaveLength(0);
  });

  it("pages by the limit, the cursor counting the distinct URLs already handled", async () => {
    const first = await directLinks.search(request({ limit: 3 }), server.context);
    expect(first.items.map((i) => i.title)).toEqual(["Red fox.JPG", "run.webm", "download"]);
    expect(first.nextCursor).toBe("0:3");
    const rest = await directLinks.search(request({ limit: 3, cursor: first.nextCursor }), server.context);
    expect(rest.items.map((i) => i.title)).toEqual(["den.avif"]);
    expect(rest.nextCursor).toBeNull();
  });

  it("refuses a target that is not an http(s) URL", async () => {
    const error = await directLinks
      .search(request({ targetUrls: ["ftp://files.example.org/a.jpg"] }), server.context)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SourceError);
    expect((error as SourceError).message).toBe("Direct links: not an http(s) URL: ftp://files.example.org/a.jpg");
    expect((error as SourceError).retryable).toBe(false);
  });

  it("rejects a cursor it did not issue", async () => {
    await expectSourceError(directLinks.search(request({ cursor: "3" }), server.context), /^Direct links: invalid cursor "3"$/);
  });
});
