import { describe, expect, it } from "vitest";
import { fixtureJson, type FixtureHandler } from "@/tests/support/source-test-server";
import { adapterPerTest, expectEmpty, expectRequest, searchRequest, walkPages } from "@/tests/support/source-test-kit";
import { createWellcome } from "@/lib/sources/wellcome";

const NAME = "Wellcome Collection";

/** Answers like api.wellcomecollection.org: "aurora" has 5 images on 2 pages. */
const wellcomeApi: FixtureHandler = ({ path, params }) => {
  if (path !== "/catalogue/v2/images") return undefined;
  const query = params.get("query");
  if (query === "aurora")
    return { body: fixtureJson(params.get("page") === "2" ? "wellcome-images-page2.json" : "wellcome-images-page1.json") };
  return { body: { type: "ResultList", pageSize: 50, totalPages: 0, totalResults: 0, results: [] } };
};

const wellcomeWith = adapterPerTest((server) =>
  createWellcome({ id: "wellcome-collection", name: NAME, apiUrl: `${server.origin}/catalogue/v2` }),
);

describe("Wellcome Collection adapter", () => {
  it("searches images with contributors and turns IIIF info.json locations into image URLs", async () => {
    const { source, server } = await wellcomeWith(wellcomeApi);
    const page = await source.search(searchRequest({ query: "aurora" }), server.context);

    expectRequest(server, {
      params: {
        query: "aurora",
        pageSize: "50",
        page: "1",
        include: "source.contributors",
      },
    });

    expect(page.items).toHaveLength(3);
    expect(page.items[0]).toEqual({
      remoteId: "a2fksh9x",
      mediaType: "image",
      mediaUrl: "https://iiif.wellcomecollection.org/image/V0016782/full/max/0/default.jpg",
      thumbnailUrl: "https://iiif.wellcomecollection.org/image/V0016782/full/400,/0/default.jpg",
      pageUrl: "https://wellcomecollection.org/works/u7k3v9qy",
      title: "The aurora borealis seen over a frozen lake. Wood engraving.",
      author: "Thomas Bewick",
      license: "Public Domain Mark",
      licenseUrl: "https://creativecommons.org/share-your-work/public-domain/pdm/",
    });
    // No contributors: the location's credit line names the source.
    expect(page.items[1]).toMatchObject({
      author: "Wellcome Collection",
      license: "Attribution 4.0 International (CC BY 4.0)",
      licenseUrl: "http://creativecommons.org/licenses/by/4.0/",
    });
    expect(page.items[2]).toMatchObject({
      mediaUrl: "https://iiif.wellcomecollection.org/image/b28047345_0001.jp2/full/max/0/default.jpg",
      author: undefined,
      license: undefined,
      licenseUrl: undefined,
    });
    expect(page.nextCursor).toBe("2");
  });

  it("pages until totalPages and resumes inside a page when the limit cuts it", async () => {
    const { source, server } = await wellcomeWith(wellcomeApi);
    const { ids, cursors } = await walkPages(source, searchRequest({ query: "aurora", limit: 2 }), server.context);
    expect(cursors).toEqual(["1:2", "2", null]);
    expect(ids).toEqual(["a2fksh9x", "zq8x4pw3", "b9wd7k2m", "k3mf8rta", "r7tq2vcu"]);
    expect(server.requests.map((r) => r.params.get("page"))).toEqual(["1", "1", "2"]);
  });

  it("finishes on a search without results", async () => {
    const { source, server } = await wellcomeWith(wellcomeApi);
    await expectEmpty(source.search(searchRequest({ query: "qqqzzz", mediaTypes: "both" }), server.context));
  });

  // HTTP failures, malformed JSON and pages without results are covered for every adapter by tests/sources/failure-contract.test.ts.
  it("drops only an image that fails its schema or has no IIIF image location, each with its reason", async () => {
    const page1 = fixtureJson<{ results: Record<string, unknown>[] }>("wellcome-images-page1.json");
    delete page1.results[2].locations;
    page1.results[1].locations = [{ url: "https://iiif.wellcomecollection.org/pdf/b28047345", type: "DigitalLocation" }];
    const { source, server } = await wellcomeWith(({ path }) => (path === "/catalogue/v2/images" ? { body: page1 } : undefined));
    const page = await source.search(searchRequest({ query: "aurora" }), server.context);
    expect(page.items.map((i) => i.remoteId)).toEqual(["a2fksh9x"]);
    expect(page.dropped).toEqual([
      { remoteId: "zq8x4pw3", reason: "no IIIF image location (info.json)" },
      { remoteId: "b9wd7k2m", reason: "a malformed record (missing locations)" },
    ]);
    expect(page.nextCursor).toBe("2");
  });

  it("takes the primary contributor as the author, not simply the first", async () => {
    const page1 = fixtureJson<{ results: { source: { contributors?: unknown[] } }[] }>("wellcome-images-page1.json");
    page1.results[0].source.contributors = [
      { agent: { label: "Wellcome Library", type: "Organisation" }, roles: [], primary: false, type: "Contributor" },
      { agent: { label: "Thomas Bewick", type: "Person" }, roles: [], primary: true, type: "Contributor" },
    ];
    const { source, server } = await wellcomeWith(({ path }) => (path === "/catalogue/v2/images" ? { body: page1 } : undefined));
    const page = await source.search(searchRequest({ query: "aurora" }), server.context);
    expect(page.items[0].author).toBe("Thomas Bewick");
  });
});
