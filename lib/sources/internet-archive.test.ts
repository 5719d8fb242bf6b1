import { describe, expect, it } from "vitest";
import { createInternetArchive, pickFile } from "@/lib/sources/internet-archive";
import { fixtureJson, TEST_USER_AGENT, type FixtureHandler, type FixtureReply } from "@/tests/support/source-test-server";
import { adapterPerTest, expectSourceError, searchRequest, walkPages } from "@/tests/support/source-test-kit";

const NAME = "Internet Archive";
const METADATA = fixtureJson<Record<string, unknown>>("internet-archive-metadata.json");

/** The user's words out of "(<words>) AND mediatype:(...)". */
function words(q: string | null) {
  return /^\((.*)\) AND mediatype:\((?:image|movies|image OR movies)\)$/.exec(q ?? "")?.[1] ?? null;
}

/** Answers like archive.org: "aurora" has 2 pages of results; metadata per identifier. */
const archiveApi: FixtureHandler = ({ path, params }) => {
  const identifier = /^\/metadata\/([^/]+)$/.exec(path)?.[1];
  if (identifier !== undefined) {
    const metadata = METADATA[decodeURIComponent(identifier)];
    return metadata ? { body: metadata } : undefined;
  }
  if (path !== "/advancedsearch.php" || params.get("output") !== "json") return undefined;
  const query = words(params.get("q"));
  if (query === "aurora")
    return { body: fixtureJson(params.get("page") === "2" ? "internet-archive-search-page2.json" : "internet-archive-search-page1.json") };
  if (query === "deep")
    return {
      body: {
        response: {
          ...fixtureJson<{ response: object }>("internet-archive-search-page1.json").response,
          numFound: 900_000,
          start: (Number(params.get("page")) - 1) * 50,
        },
      },
    };
  return { body: { responseHeader: { status: 0 }, response: { numFound: 0, start: 0, docs: [] } } };
};

const archiveWith = adapterPerTest((server) => createInternetArchive({ id: "internet-archive", name: NAME, apiUrl: `${server.origin}/` }));

describe("Internet Archive adapter", () => {
  it("finds image and film items and downloads each one's largest original file", async () => {
    const { source, server } = await archiveWith(archiveApi);
    const page = await source.search(searchRequest({ query: "aurora", mediaTypes: "both" }), server.context);
    const origin = server.origin;

    const search = server.requests[0];
    expect(search.path).toBe("/advancedsearch.php");
    expect([...search.params]).toEqual([
      ["q", "(aurora) AND mediatype:(image OR movies)"],
      ["fl[]", "identifier"],
      ["fl[]", "title"],
      ["fl[]", "creator"],
      ["fl[]", "mediatype"],
      ["fl[]", "licenseurl"],
      ["rows", "50"],
      ["page", "1"],
      ["output", "json"],
    ]);
    // Metadata is read two items at a time, so only the set of requests is fixed, not their order.
    expect(
      server.requests
        .slice(1)
        .map((r) => r.path)
        .sort(),
    ).toEqual([
      "/metadata/Aurora1950sEducationalFilm",
      "/metadata/aurora-borealis-tromso-2019",
      "/metadata/aurora-scans-only-pdf",
      "/metadata/nasa-aurora-stills",
    ]);
    for (const sent of server.requests) expect(sent.headers["user-agent"]).toBe(TEST_USER_AGENT);

    expect(page.items).toEqual([
      {
        remoteId: "aurora-borealis-tromso-2019",
        mediaType: "image",
        mediaUrl: `${origin}/download/aurora-borealis-tromso-2019/IMG_2042.JPG`,
        thumbnailUrl: `${origin}/services/img/aurora-borealis-tromso-2019`,
        pageUrl: "https://archive.org/details/aurora-borealis-tromso-2019",
        title: "Aurora borealis over Tromsø",
        author: "Kari Nordmann",
        license: "CC BY-SA 4.0",
        licenseUrl: "http://creativecommons.org/licenses/by-sa/4.0/",
        // The file's published size and checksums, for the downloader to verify.
        expectedBytes: 7340032,
        md5: "1a2b3c4d5e6f708192a3b4c5d6e7f809",
        sha1: "4b2a6f8d0c3e5a7b9d1f2c4e6a8b0d2f4c6e8a1b",
      },
      // The MPEG-2 original is no web video: the largest mp4 derivative is taken.
      expect.objectContaining({
        remoteId: "Aurora1950sEducationalFilm",
        mediaType: "video",
        mediaUrl: `${origin}/download/Aurora1950sEducationalFilm/Aurora1950s.mp4`,
        author: "Encyclopaedia Britannica Films",
        license: "Public Domain Mark 1.0",
      }),
      // The PDF-only item is skipped; a file in a folder keeps its path.
      expect.objectContaining({
        remoteId: "nasa-aurora-stills",
        mediaUrl: `${origin}/download/nasa-aurora-stills/stills/frame%2001.png`,
        title: "Aurora stills",
        author: undefined,
        license: undefined,
        licenseUrl: undefined,
      }),
    ]);
    expect(page.dropped).toEqual([{ remoteId: "aurora-scans-only-pdf", reason: "it has no image file" }]);
    expect(page.nextCursor).toBe("2");
  });

  it("pages until numFound, skips dark items and resumes inside a page when the limit cuts it", async () => {
    const { source, server } = await archiveWith(archiveApi);
    const { ids, cursors } = await walkPages(source, searchRequest({ query: "aurora", mediaTypes: "both", limit: 2 }), server.context);
    expect(cursors).toEqual(["1:2", "2", null]);
    expect(ids).toEqual(["aurora-borealis-tromso-2019", "Aurora1950sEducationalFilm", "nasa-aurora-stills", "aurora-timelapse-alaska"]);
    // Every identifier's metadata is read once.
    expect(server.requests.filter((r) => r.path.startsWith("/metadata/"))).toHaveLength(6);
  });

  it("restricts the search to the media type the job wants", async () => {
    const { source, server } = await archiveWith(archiveApi);
    await source.search(searchRequest({ query: "aurora", mediaTypes: "images", limit: 1 }), server.context);
    await source.search(searchRequest({ query: "aurora", mediaTypes: "videos", limit: 1 }), server.context);
    expect(server.requests.filter((r) => r.path === "/advancedsearch.php").map((r) => r.params.get("q"))).toEqual([
      "(aurora) AND mediatype:(image)",
      "(aurora) AND mediatype:(movies)",
    ]);
    expect(await source.search(searchRequest({ query: "qqqzzz" }), server.context)).toEqual({ items: [], nextCursor: null });
  });

  it("never asks past the first 10,000 results", async () => {
    const { source, server } = await archiveWith(archiveApi);
    expect((await source.search(searchRequest({ query: "deep", cursor: "200:4" }), server.context)).nextCursor).toBeNull();
    await expectSourceError(
      source.search(searchRequest({ query: "deep", cursor: "201" }), server.context),
      /^Internet Archive: invalid cursor "201"$/,
    );
    expect(server.requests).toHaveLength(1);
  });

  it("picks originals over derivatives and never an Archive thumbnail", () => {
    expect(
      pickFile(
        [
          { name: "a.jpg", source: "derivative", size: "900" },
          { name: "b.png", source: "original", size: "10" },
        ],
        "image",
      )?.name,
    ).toBe("b.png");
    expect(pickFile([{ name: "__ia_thumb.jpg", source: "original", format: "Item Tile", size: "10" }], "image")).toBeUndefined();
    expect(
      pickFile(
        [
          { name: "x.avi", source: "original", size: "10" },
          { name: "x.ogv", source: "derivative", size: "5" },
        ],
        "video",
      )?.name,
    ).toBe("x.ogv");
  });

  it("reports malformed pages as SourceErrors naming the Archive", async () => {
    const withoutIdentifier = fixtureJson<{ response: { docs: Record<string, unknown>[] } }>("internet-archive-search-page1.json");
    delete withoutIdentifier.response.docs[1].identifier;
    const { source, server } = await archiveWith((request, origin) => {
      const query = words(request.params.get("q"));
      if (query === "noidentifier") return { body: withoutIdentifier };
      if (query === "badfiles")
        return { body: { response: { numFound: 1, start: 0, docs: [{ identifier: "bad-files", mediatype: "image" }] } } };
      if (request.path === "/metadata/bad-files") return { body: { files: [{ source: "original", format: "JPEG" }] } };
      return archiveApi(request, origin);
    });
    const search = (query: string) => source.search(searchRequest({ query }), server.context);
    // A result without its identifier is dropped with its reason; the rest of the page is kept.
    const noIdentifier = await search("noidentifier");
    expect(noIdentifier.items.map((i) => i.remoteId)).toEqual(["aurora-borealis-tromso-2019", "nasa-aurora-stills"]);
    expect(noIdentifier.dropped).toEqual([
      { reason: "a malformed record (missing identifier)" },
      { remoteId: "aurora-scans-only-pdf", reason: "it has no image file" },
    ]);
    await expectSourceError(search("badfiles"), /^Internet Archive: malformed response \(missing files\[0\]\.name\)$/);
  });

  // Responses recorded from archive.org by jjjake/internetarchive's tests (provenance:
  // tests/fixtures/sources/internet-archive-recorded.provenance.md): an advancedsearch page of the
  // nasa collection, trimmed to 5 docs, and the /metadata/nasa answer, served here for the
  // identifiers that have one; one identifier answers 404 and one {} (a dark item).
  describe("over recorded archive.org responses", () => {
    const RECORDED_SEARCH = fixtureJson<{ response: { numFound: number; docs: { identifier: string }[] } }>(
      "internet-archive-recorded-advancedsearch.json",
    );
    const RECORDED_METADATA = fixtureJson("internet-archive-recorded-metadata-nasa.json");
    const metadataFor: Record<string, FixtureReply | undefined> = {
      "1redRoverGoesToMars-studentAstronautB-rollCompilation": { body: RECORDED_METADATA },
      "A-11464": undefined,
      "481213main_gas_bolden_ames": { body: RECORDED_METADATA },
      "411090main_ED09-0342-03-1-_full.jpg": { body: RECORDED_METADATA },
      "201005250003HQ": { body: {} },
    };
    const recordedApi =
      (override: Record<string, FixtureReply | undefined> = {}): FixtureHandler =>
      ({ path, params }) => {
        const identifier = /^\/metadata\/([^/]+)$/.exec(path)?.[1];
        if (identifier !== undefined) {
          const id = decodeURIComponent(identifier);
          return id in override ? override[id] : metadataFor[id];
        }
        return path === "/advancedsearch.php" && words(params.get("q")) === "nasa" ? { body: RECORDED_SEARCH } : undefined;
      };

    it("keeps the page when one item's metadata answers 404 and reports every record left out", async () => {
      const { source, server } = await archiveWith(recordedApi());
      const page = await source.search(searchRequest({ query: "nasa", mediaTypes: "both" }), server.context);
      const origin = server.origin;

      // 5 records: 2 items and 3 dropped, each with its reason.
      expect(RECORDED_SEARCH.response.docs).toHaveLength(5);
      expect(server.requests.filter((r) => r.path.startsWith("/metadata/"))).toHaveLength(5);
      expect(page.items).toEqual([
        {
          remoteId: "481213main_gas_bolden_ames",
          mediaType: "image",
          // The largest original image; the "Collection Header" jpg is smaller.
          mediaUrl: `${origin}/download/481213main_gas_bolden_ames/globe_west_540.jpg`,
          thumbnailUrl: `${origin}/services/img/481213main_gas_bolden_ames`,
          pageUrl: "https://archive.org/details/481213main_gas_bolden_ames",
          title: "Administrator Addresses Green Aviation Summit",
          author: "NASA",
          license: undefined,
          licenseUrl: undefined,
          expectedBytes: 66065,
          md5: "9366a4b09386bf673c447e33d806d904",
          sha1: "3e20a009994405f535cdf07cdc2974cef2fce8f2",
        },
        expect.objectContaining({
          remoteId: "411090main_ED09-0342-03-1-_full.jpg",
          mediaUrl: `${origin}/download/411090main_ED09-0342-03-1-_full.jpg/globe_west_540.jpg`,
          title: "SOFIA Test Flight",
          author: undefined,
        }),
      ]);
      expect(page.dropped).toEqual([
        { remoteId: "1redRoverGoesToMars-studentAstronautB-rollCompilation", reason: "it has no video file" },
        { remoteId: "A-11464", reason: "the archive has no metadata for it (404)" },
        { remoteId: "201005250003HQ", reason: "the archive's metadata for it is empty (dark or removed)" },
      ]);
      // numFound is 50 and this page held 5 of them: the next page follows.
      expect(page.nextCursor).toBe("2");
    });

    it("still fails the page when an item's metadata request fails with a 5xx or 429 (retried by the engine)", async () => {
      for (const reply of [
        { status: 502, body: { error: "Bad Gateway" } },
        { status: 429, headers: { "retry-after": "30" }, body: { error: "Too Many Requests" } },
      ]) {
        const { source, server } = await archiveWith(recordedApi({ "A-11464": reply }));
        const error = await expectSourceError(
          source.search(searchRequest({ query: "nasa", mediaTypes: "both" }), server.context),
          new RegExp(`^Internet Archive: HTTP ${reply.status} from 127\\.0\\.0\\.1:\\d+$`),
        );
        expect(error.retryable).toBe(true);
      }
    });
  });
});
