import { describe, expect, it } from "vitest";
import { createNasa, pickAsset } from "@/lib/sources/nasa";
import { fixtureJson, TEST_USER_AGENT, type FixtureHandler } from "@/tests/support/source-test-server";
import { adapterPerTest, expectSourceError, searchRequest, walkPages } from "@/tests/support/source-test-kit";

const NAME = "NASA Image and Video Library";
const MANIFESTS = fixtureJson<Record<string, string[]>>("nasa-manifests.json");

interface SearchFixture {
  collection: { items: { href: string; data: { nasa_id: string; media_type: string }[] }[]; links?: unknown[] };
}

/** A search fixture whose manifest hrefs point at the test server, as images-assets.nasa.gov's do at NASA. */
function searchPage(name: string, origin: string, mediaType: string | null): SearchFixture {
  const page = fixtureJson<SearchFixture>(name);
  for (const item of page.collection.items) item.href = `${origin}/assets/${encodeURIComponent(item.data[0].nasa_id)}/collection.json`;
  const wanted = mediaType?.split(",") ?? [];
  page.collection.items = page.collection.items.filter((item) => wanted.includes(item.data[0].media_type));
  return page;
}

/** Answers like images-api.nasa.gov: "aurora" has 2 pages; manifests live under /assets/. */
const nasaApi: FixtureHandler = ({ path, params }, origin) => {
  const manifest = /^\/assets\/([^/]+)\/collection\.json$/.exec(path)?.[1];
  if (manifest !== undefined) {
    const files = MANIFESTS[decodeURIComponent(manifest)];
    return files ? { body: files } : undefined;
  }
  if (path !== "/search") return undefined;
  const q = params.get("q");
  if (q === "aurora")
    return {
      body: searchPage(params.get("page") === "2" ? "nasa-search-page2.json" : "nasa-search-page1.json", origin, params.get("media_type")),
    };
  return { body: { collection: { version: "1.0", href: "", items: [], metadata: { total_hits: 0 } } } };
};

const nasaWith = adapterPerTest((server) => createNasa({ id: "nasa-images", name: NAME, apiUrl: `${server.origin}/` }));

describe("NASA Image and Video Library adapter", () => {
  it("searches images and videos, reads each manifest and picks the original or largest file", async () => {
    const { source, server } = await nasaWith(nasaApi);
    const page = await source.search(searchRequest({ query: "aurora", mediaTypes: "both" }), server.context);

    const search = server.requests.find((r) => r.path === "/search");
    expect(Object.fromEntries(search?.params ?? [])).toEqual({ q: "aurora", media_type: "image,video", page: "1" });
    expect(server.requests.filter((r) => r.path.startsWith("/assets/"))).toHaveLength(4);
    for (const sent of server.requests) expect(sent.headers["user-agent"]).toBe(TEST_USER_AGENT);

    expect(page.items).toEqual([
      {
        remoteId: "iss030e111427",
        mediaType: "image",
        mediaUrl: "https://images-assets.nasa.gov/image/iss030e111427/iss030e111427~orig.jpg",
        thumbnailUrl: "https://images-assets.nasa.gov/image/iss030e111427/iss030e111427~thumb.jpg",
        pageUrl: "https://images.nasa.gov/details/iss030e111427",
        title: "Aurora Australis over the Indian Ocean",
        author: undefined,
      },
      {
        remoteId: "GSFC_20171208_Archive_e001747",
        mediaType: "video",
        // No ~orig.mp4 (the original is a .mov): the largest mp4 is taken.
        mediaUrl: "https://images-assets.nasa.gov/video/GSFC_20171208_Archive_e001747/GSFC_20171208_Archive_e001747~large.mp4",
        thumbnailUrl: "https://images-assets.nasa.gov/video/GSFC_20171208_Archive_e001747/GSFC_20171208_Archive_e001747~thumb.jpg",
        pageUrl: "https://images.nasa.gov/details/GSFC_20171208_Archive_e001747",
        title: "Aurora Seen From Space",
        author: "NASA's Goddard Space Flight Center",
      },
      expect.objectContaining({
        remoteId: "PIA17198",
        mediaUrl: "https://images-assets.nasa.gov/image/PIA17198/PIA17198~orig.tif",
        author: "NASA/JPL-Caltech",
      }),
      expect.objectContaining({
        remoteId: "Aurora Borealis Over Canada",
        mediaUrl: "https://images-assets.nasa.gov/image/Aurora%20Borealis%20Over%20Canada/Aurora%20Borealis%20Over%20Canada~medium.jpg",
        thumbnailUrl: "https://images-assets.nasa.gov/image/Aurora%20Borealis%20Over%20Canada/Aurora%20Borealis%20Over%20Canada~thumb.jpg",
        pageUrl: "https://images.nasa.gov/details/Aurora%20Borealis%20Over%20Canada",
      }),
    ]);
    expect(page.nextCursor).toBe("2");
  });

  it("follows the next link to the last page and skips a result whose manifest has no media", async () => {
    const { source, server } = await nasaWith(nasaApi);
    const last = await source.search(searchRequest({ query: "aurora", cursor: "2" }), server.context);
    expect(server.requests[0].params.get("page")).toBe("2");
    expect(last.items.map((i) => i.remoteId)).toEqual(["iss040e081072"]);
    expect(last.dropped).toEqual([{ remoteId: "iss040e081073", reason: "its asset manifest lists no image file" }]);
    expect(last.nextCursor).toBeNull();
  });

  it("reads only as many manifests as the limit needs and resumes at the next result", async () => {
    const { source, server } = await nasaWith(nasaApi);
    const { ids, cursors } = await walkPages(source, searchRequest({ query: "aurora", mediaTypes: "both", limit: 3 }), server.context);
    expect(cursors).toEqual(["1:3", "2", null]);
    expect(ids).toEqual(["iss030e111427", "GSFC_20171208_Archive_e001747", "PIA17198", "Aurora Borealis Over Canada", "iss040e081072"]);
    // 4 manifests on page 1 and 2 on page 2, each read once.
    expect(server.requests.filter((r) => r.path.startsWith("/assets/"))).toHaveLength(6);
  });

  it("asks for the media type the job wants", async () => {
    const { source, server } = await nasaWith(nasaApi);
    const videos = await source.search(searchRequest({ query: "aurora", mediaTypes: "videos" }), server.context);
    expect(videos.items.map((i) => i.mediaType)).toEqual(["video"]);
    const images = await source.search(searchRequest({ query: "aurora", mediaTypes: "images" }), server.context);
    expect(images.items.map((i) => i.mediaType)).toEqual(["image", "image", "image"]);
    expect(server.requests.filter((r) => r.path === "/search").map((r) => r.params.get("media_type"))).toEqual(["video", "image"]);
    expect(await source.search(searchRequest({ query: "qqqzzz" }), server.context)).toEqual({ items: [], nextCursor: null });
  });

  it("prefers ~orig, then the larger renditions, and only mp4 for videos", () => {
    const base = "https://images-assets.nasa.gov/image/x/x";
    expect(pickAsset([`${base}~small.jpg`, `${base}~large.jpg`, `${base}~medium.jpg`], "image")).toBe(`${base}~large.jpg`);
    expect(pickAsset([`${base}~orig.png`, `${base}~large.jpg`], "image")).toBe(`${base}~orig.png`);
    expect(pickAsset([`${base}~orig.mov`, `${base}~thumb.jpg`], "video")).toBeUndefined();
    expect(pickAsset([`${base}.vtt`, `${base}~mobile.mp4`, `${base}~preview.mp4`], "video")).toBe(`${base}~mobile.mp4`);
  });

  it("reports malformed pages as SourceErrors naming the library", async () => {
    const { source, server } = await nasaWith((request, origin) => {
      const q = request.params.get("q");
      if (q === "noid") {
        const noId = searchPage("nasa-search-page1.json", origin, "image");
        const pia = noId.collection.items.find((item) => item.data[0].nasa_id === "PIA17198");
        if (pia) delete (pia.data[0] as { nasa_id?: string }).nasa_id;
        return { body: noId };
      }
      if (q === "nomanifest" || q === "badmanifest") {
        const page = searchPage("nasa-search-page2.json", origin, "image");
        page.collection.items[0].href = `${origin}/assets/${q}/collection.json`;
        return { body: page };
      }
      if (request.path === "/assets/badmanifest/collection.json") return { body: { files: [] } };
      return nasaApi(request, origin);
    });
    const search = (query: string) => source.search(searchRequest({ query }), server.context);
    // A result without its nasa_id is dropped with its reason; the rest of the page is kept.
    const noid = await search("noid");
    expect(noid.items.map((i) => i.remoteId)).toEqual(["iss030e111427", "Aurora Borealis Over Canada"]);
    expect(noid.dropped).toEqual([{ reason: "a malformed record (missing data.0.nasa_id)" }]);
    // A manifest that answers 404 no longer fails the page: that result is dropped (see below).
    const withdrawn = await search("nomanifest");
    expect(withdrawn.items).toEqual([]);
    expect(withdrawn.dropped).toEqual([
      { remoteId: "iss040e081072", reason: "NASA has no asset manifest for it (404)" },
      { remoteId: "iss040e081073", reason: "its asset manifest lists no image file" },
    ]);
    await expectSourceError(search("badmanifest"), /^NASA Image and Video Library: malformed response \(body: /);
  });

  it("drops a result whose manifest answers 404 and keeps the rest of the page", async () => {
    const { source, server } = await nasaWith((request, origin) =>
      request.path === "/assets/PIA17198/collection.json" ? undefined : nasaApi(request, origin),
    );
    const page = await source.search(searchRequest({ query: "aurora", mediaTypes: "both" }), server.context);
    // 4 search results: 3 items, 1 dropped with its reason, none lost.
    expect(page.items.map((i) => i.remoteId)).toEqual(["iss030e111427", "GSFC_20171208_Archive_e001747", "Aurora Borealis Over Canada"]);
    expect(page.dropped).toEqual([{ remoteId: "PIA17198", reason: "NASA has no asset manifest for it (404)" }]);
    expect(page.nextCursor).toBe("2");
  });

  it("still fails the page when a manifest request fails for another reason (retried by the engine)", async () => {
    const { source, server } = await nasaWith((request, origin) =>
      request.path === "/assets/PIA17198/collection.json" ? { status: 503, body: { error: "unavailable" } } : nasaApi(request, origin),
    );
    const error = await expectSourceError(
      source.search(searchRequest({ query: "aurora", mediaTypes: "both" }), server.context),
      /^NASA Image and Video Library: HTTP 503 from 127\.0\.0\.1:\d+$/,
    );
    expect(error.retryable).toBe(true);
  });

  // A v1.1 search response recorded from images-api.nasa.gov (provenance:
  // tests/fixtures/sources/nasa-recorded-search-v1.1.provenance.md): the canonical original is in links[].
  it("takes the canonical original from a recorded v1.1 search response without reading its manifest", async () => {
    const recorded = fixtureJson<SearchFixture>("nasa-recorded-search-v1.1.json");
    const { source, server } = await nasaWith(({ path }) => (path === "/search" ? { body: recorded } : undefined));
    const page = await source.search(searchRequest({ query: "iss026-s-001", mediaTypes: "both" }), server.context);

    // 1 record, 1 item, nothing dropped, and no manifest request.
    expect(recorded.collection.items).toHaveLength(1);
    expect(server.requests.map((r) => r.path)).toEqual(["/search"]);
    expect(page).toEqual({
      items: [
        {
          remoteId: "iss026-s-001",
          mediaType: "image",
          mediaUrl: "https://images-assets.nasa.gov/image/iss026-s-001/iss026-s-001~orig.jpg",
          thumbnailUrl: "https://images-assets.nasa.gov/image/iss026-s-001/iss026-s-001~thumb.jpg",
          pageUrl: "https://images.nasa.gov/details/iss026-s-001",
          title: "iss026-s-001",
          author: undefined,
        },
      ],
      // No links[rel=next] in the recorded response: the search is done.
      nextCursor: null,
    });
    // The recorded size (1525000) is rounded to kilobytes, so it is not given as expectedBytes.
    expect(page.items[0].expectedBytes).toBeUndefined();
  });
});
