import { describe, expect, it } from "vitest";
import { createLoc } from "@/lib/sources/loc";
import { fixtureJson, type FixtureHandler } from "@/tests/support/source-test-server";
import { adapterPerTest, expectRequest, expectSourceError, searchRequest, walkPages } from "@/tests/support/source-test-kit";

const NAME = "Library of Congress";

/** Answers like www.loc.gov/photos/: "aurora" has 2 pages; like loc.gov, a search without matches is a 404. */
const locApi: FixtureHandler = ({ path, params }) => {
  if (path !== "/photos/" || params.get("fo") !== "json") return undefined;
  const q = params.get("q");
  if (q === "aurora") return { body: fixtureJson(params.get("sp") === "2" ? "loc-photos-page2.json" : "loc-photos-page1.json") };
  return { status: 404, body: { status: 404, results: [] } };
};

const locWith = adapterPerTest((server) => createLoc({ id: "loc-photos", name: NAME, apiUrl: server.origin }));

describe("Library of Congress adapter", () => {
  it("asks the photos endpoint for JSON and picks the largest image rendition", async () => {
    const { source, server } = await locWith(locApi);
    const page = await source.search(searchRequest({ query: "aurora" }), server.context);

    expectRequest(server, { params: { q: "aurora", fo: "json", at: "results,pagination", c: "50", sp: "1" } });

    // The result without images is dropped with its reason.
    expect(page.dropped).toEqual([{ remoteId: "http://www.loc.gov/item/2004676543/", reason: "no image (image_url is empty)" }]);
    expect(page.items).toEqual([
      {
        remoteId: "http://www.loc.gov/item/2002722398/",
        mediaType: "image",
        mediaUrl: "https://tile.loc.gov/storage-services/service/pnp/pga/02700/02798v.jpg",
        thumbnailUrl: "https://tile.loc.gov/storage-services/service/pnp/pga/02700/02798_150px.jpg",
        pageUrl: "https://www.loc.gov/item/2002722398/",
        title: "The aurora borealis",
        author: "Bradford, William, 1823-1892",
        license: "No known restrictions on publication.",
      },
      // The largest rendition is not always the last one listed; brackets around titles go.
      expect.objectContaining({
        mediaUrl: "https://tile.loc.gov/storage-services/service/pnp/ppmsca/51500/51591v.jpg",
        title: "Aurora, seen from Fort Yukon",
        author: "Detroit Publishing Co., publisher",
        license: "No known restrictions on publication.",
      }),
      // A single image_url string without size fragments.
      expect.objectContaining({
        remoteId: "http://www.loc.gov/item/2017878901/",
        mediaUrl: "https://tile.loc.gov/storage-services/service/pnp/fsa/8d30000/8d30800/8d30899v.jpg",
        author: undefined,
        license: undefined,
      }),
    ]);
    expect(page.nextCursor).toBe("2");
  });

  it("follows pagination.next and resumes inside a page when the limit cuts it", async () => {
    const { source, server } = await locWith(locApi);
    const { ids, cursors } = await walkPages(source, searchRequest({ query: "aurora", limit: 2 }), server.context);
    expect(cursors).toEqual(["1:2", "2", null]);
    expect(ids).toEqual([
      "http://www.loc.gov/item/2002722398/",
      "http://www.loc.gov/item/2016651010/",
      "http://www.loc.gov/item/2017878901/",
      "http://www.loc.gov/item/2005682111/",
      "http://www.loc.gov/item/2005682112/",
    ]);
    expect(server.requests.map((r) => r.params.get("sp"))).toEqual(["1", "1", "2"]);
  });

  it("returns the images for a job that asks for both", async () => {
    const { source, server } = await locWith(locApi);
    expect((await source.search(searchRequest({ query: "aurora", mediaTypes: "both" }), server.context)).items).toHaveLength(3);
  });

  it("says that loc.gov's 404 may mean a search without matches", async () => {
    const { source, server } = await locWith(locApi);
    const error = await expectSourceError(
      source.search(searchRequest({ query: "qqqzzz" }), server.context),
      /^Library of Congress: HTTP 404 from 127\.0\.0\.1:\d+ \(loc\.gov also answers 404 when nothing matches the search\)$/,
    );
    expect(error.status).toBe(404);
    expect(error.retryable).toBe(false);
  });

  it("reports malformed pages as SourceErrors naming the library", async () => {
    const noPagination = fixtureJson<Record<string, unknown>>("loc-photos-page1.json");
    delete noPagination.pagination;
    const noId = fixtureJson<{ results: Record<string, unknown>[] }>("loc-photos-page1.json");
    delete noId.results[3].id;
    const { source, server } = await locWith((request, origin) => {
      const q = request.params.get("q");
      if (q === "nopagination") return { body: noPagination };
      if (q === "noid") return { body: noId };
      return locApi(request, origin);
    });
    const search = (query: string) => source.search(searchRequest({ query }), server.context);
    await expectSourceError(search("nopagination"), /^Library of Congress: malformed response \(missing pagination\)$/);
    // A result without its id is dropped with its reason; the rest of the page is kept.
    const noid = await search("noid");
    expect(noid.items.map((i) => i.remoteId)).toEqual(["http://www.loc.gov/item/2002722398/", "http://www.loc.gov/item/2016651010/"]);
    expect(noid.dropped).toEqual([
      { remoteId: "http://www.loc.gov/item/2004676543/", reason: "no image (image_url is empty)" },
      { reason: "a malformed record (missing id)" },
    ]);
  });
});

describe("Library of Congress adapter, image_url lists", () => {
  const result = (id: string, image_url: string[]) => ({
    id: `http://www.loc.gov/item/${id}/`,
    url: `https://www.loc.gov/item/${id}/`,
    title: id,
    image_url,
  });

  it("reads protocol-relative URLs as https and drops a result without an image file Trawl stores, with the reason", async () => {
    const { source, server } = await locWith(() => ({
      body: {
        pagination: { current: 1, next: null },
        results: [
          result("relative", ["//tile.loc.gov/x/a_150px.jpg#h=150&w=100", "//tile.loc.gov/x/av.jpg#h=1024&w=683"]),
          result("pdfonly", ["https://tile.loc.gov/x/scan.pdf", "/static/images/original-format/text.svg"]),
        ],
      },
    }));
    const page = await source.search(searchRequest({ query: "aurora" }), server.context);
    expect(page.items.map((i) => [i.remoteId, i.mediaUrl, i.thumbnailUrl])).toEqual([
      ["http://www.loc.gov/item/relative/", "https://tile.loc.gov/x/av.jpg", "https://tile.loc.gov/x/a_150px.jpg"],
    ]);
    expect(page.dropped).toEqual([
      {
        remoteId: "http://www.loc.gov/item/pdfonly/",
        reason: "no image file Trawl stores (image_url lists https://tile.loc.gov/x/scan.pdf, /static/images/original-format/text.svg)",
      },
    ]);
    expect(page.nextCursor).toBeNull();
  });

  it("turns the recorded results into items: the largest listed rendition, the first creator, the rights advisory", async () => {
    const recorded = fixtureJson<{ results: unknown[] }>("loc-recorded-wpa-posters-excerpt.json");
    const { source, server } = await locWith(() => ({ body: { results: recorded.results, pagination: { current: 1, next: null } } }));
    const page = await source.search(searchRequest({ query: "posters" }), server.context);
    const tile = "https://tile.loc.gov/storage-services/service/pnp/cph";
    expect(page.dropped).toBeUndefined();
    expect(page.items).toEqual([
      {
        remoteId: "http://www.loc.gov/item/98518971/",
        mediaType: "image",
        mediaUrl: `${tile}/3b40000/3b49000/3b49000/3b49078r.jpg`,
        thumbnailUrl: `${tile}/3b40000/3b49000/3b49000/3b49078_150px.jpg`,
        pageUrl: "https://www.loc.gov/item/98518971/",
        title: "Volunteer civilian defense",
        author: "Federal Art Project",
        license: "No known restrictions on publication.",
      },
      {
        remoteId: "http://www.loc.gov/item/98507320/",
        mediaType: "image",
        mediaUrl: `${tile}/3f00000/3f05000/3f05100/3f05146v.jpg`,
        thumbnailUrl: `${tile}/3f00000/3f05000/3f05100/3f05146t.gif`,
        pageUrl: "https://www.loc.gov/item/98507320/",
        title: '"The alarm clock" by Avery Hopwood',
        author: "Hopwood, Avery, 1882-1928.",
        license: "No known restrictions on publication.",
      },
    ]);
    expect(page.nextCursor).toBeNull();
  });
});
