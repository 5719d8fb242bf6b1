import { describe, expect, it } from "vitest";
import { createDpla } from "@/lib/sources/dpla";
import { fixtureJson, type FixtureHandler } from "@/tests/support/source-test-server";
import { adapterPerTest, expectEmpty, expectRequest, expectSourceError, searchRequest, walkPages } from "@/tests/support/source-test-kit";

const NAME = "DPLA";
const KEY = "dpla-test-key";

/** Answers like api.dp.la: the key must match; "aurora" has 53 items on 2 pages. */
const dplaApi: FixtureHandler = ({ path, params }) => {
  if (path !== "/v2/items") return undefined;
  if (params.get("api_key") !== KEY) return { status: 401, body: { message: "Unauthorized: Invalid API key" } };
  const q = params.get("q");
  if (q === "aurora") return { body: fixtureJson(params.get("page") === "2" ? "dpla-items-page2.json" : "dpla-items-page1.json") };
  if (q === "deep") return { body: { ...fixtureJson<Record<string, unknown>>("dpla-items-page1.json"), count: 900_000 } };
  return { body: { count: 0, start: 0, limit: 50, docs: [] } };
};

const dplaWith = adapterPerTest((server) => createDpla({ id: "dpla", name: NAME, apiUrl: `${server.origin}/v2` }));

describe("DPLA adapter", () => {
  it("sends the key as api_key, asks for images and prefers the full view over the thumbnail", async () => {
    const { source, server } = await dplaWith(dplaApi);
    const page = await source.search(searchRequest({ query: "aurora" }), { ...server.context, key: KEY });

    expectRequest(server, {
      params: {
        q: "aurora",
        "sourceResource.type": "image",
        page_size: "50",
        page: "1",
        api_key: KEY,
      },
    });

    expect(page.items).toEqual([
      {
        remoteId: "eb930b2f9ad638f921429e5e898f0a34",
        mediaType: "image",
        mediaUrl: "https://vilda.alaska.edu/digital/iiif/cdmg11/1234/full/full/0/default.jpg",
        thumbnailUrl: "https://thumbnails.calisphere.org/clip/150x150/eb930b2f9ad638f921429e5e898f0a34.jpg",
        pageUrl: "https://vilda.alaska.edu/digital/collection/cdmg11/id/1234",
        title: "Aurora borealis over Fairbanks",
        author: "Charles Bunnell",
        license: "No Copyright - United States",
        licenseUrl: "http://rightsstatements.org/vocab/NoC-US/1.0/",
      },
      // No hasView: the thumbnail is all DPLA offers. Free-text rights stay as text.
      {
        remoteId: "0a1b2c3d4e5f60718293a4b5c6d7e8f9",
        mediaType: "image",
        mediaUrl: "https://images.nypl.org/index.php?id=1234567&t=t",
        thumbnailUrl: "https://images.nypl.org/index.php?id=1234567&t=t",
        pageUrl: "https://digitalcollections.nypl.org/items/510d47e3-1234-a3d9-e040-e00a18064a99",
        title: "Aurora. (Northern lights)",
        author: undefined,
        license: "The New York Public Library believes that this item is in the public domain under the laws of the United States.",
        licenseUrl: undefined,
      },
    ]);
    // The doc without hasView or object is dropped with its reason.
    expect(page.dropped).toEqual([{ remoteId: "ffeeddccbbaa99887766554433221100", reason: "no image link (neither hasView nor object)" }]);
    expect(page.nextCursor).toBe("2");
  });

  it("pages until count and resumes inside a page when the limit cuts it", async () => {
    const { source, server } = await dplaWith(dplaApi);
    const { ids, cursors } = await walkPages(source, searchRequest({ query: "aurora", limit: 1 }), { ...server.context, key: KEY });
    // the cursor's skip counts docs: the third call handles only the doc without an image (dropped) and ends the page
    expect(cursors).toEqual(["1:1", "1:2", "2", null]);
    expect(ids).toEqual(["eb930b2f9ad638f921429e5e898f0a34", "0a1b2c3d4e5f60718293a4b5c6d7e8f9", "1234567890abcdef1234567890abcdef"]);
  });

  it("stops at page 100", async () => {
    const { source, server } = await dplaWith(dplaApi);
    expect((await source.search(searchRequest({ query: "deep", cursor: "99" }), { ...server.context, key: KEY })).nextCursor).toBe("100");
    expect((await source.search(searchRequest({ query: "deep", cursor: "100" }), { ...server.context, key: KEY })).nextCursor).toBeNull();
    await expectSourceError(
      source.search(searchRequest({ query: "deep", cursor: "101" }), { ...server.context, key: KEY }),
      /^DPLA: invalid cursor "101"$/,
    );
  });

  it("needs a key, says so when it is refused, and finishes on a search without results", async () => {
    const { source, server } = await dplaWith(dplaApi);
    await expectSourceError(source.search(searchRequest({ query: "aurora" }), server.context), /^DPLA: no API key configured$/);
    await expectSourceError(
      source.search(searchRequest({ query: "aurora" }), { ...server.context, key: "nope" }),
      /^DPLA: API key rejected \(401\)$/,
    );
    await expectEmpty(source.search(searchRequest({ query: "qqqzzz" }), { ...server.context, key: KEY }));
  });

  // HTTP failures, malformed JSON and pages without docs are covered for every adapter by tests/sources/failure-contract.test.ts.
  it("fails a page without docs, and drops only a doc that fails its schema or links a PDF, each with its reason", async () => {
    const mixed = fixtureJson<{ docs: Record<string, unknown>[] }>("dpla-items-page1.json");
    delete mixed.docs[0].id;
    mixed.docs[1].hasView = { "@id": "https://digitalcollections.nypl.org/files/aurora-1903.pdf" };
    const { source, server } = await dplaWith((request, origin) => {
      const q = request.params.get("q");
      if (q === "nodocs") return { body: { count: 3 } };
      if (q === "mixed") return { body: mixed };
      return dplaApi(request, origin);
    });
    const search = (query: string) => source.search(searchRequest({ query }), { ...server.context, key: KEY });
    await expectSourceError(search("nodocs"), /^DPLA: malformed response \(missing docs\)$/);
    const page = await search("mixed");
    expect(page.items).toEqual([]);
    expect(page.dropped).toEqual([
      { reason: "a malformed record (missing id)" },
      { remoteId: "0a1b2c3d4e5f60718293a4b5c6d7e8f9", reason: "a .pdf file, which Trawl cannot store" },
      { remoteId: "ffeeddccbbaa99887766554433221100", reason: "no image link (neither hasView nor object)" },
    ]);
  });
});

describe("DPLA adapter on a recorded /v2/items response (cmgoon/is310-coding-assignments api-getting-data/dpla_kittens.json)", () => {
  type Recorded = { count: number; docs: { id: string; object: string; rights?: string }[] };
  const recorded = () => fixtureJson<Recorded>("dpla-recorded-kittens.json");

  it("turns every recorded doc into an item: the object link, the edm:rights URI, else the provider's rights text", async () => {
    const { source, server } = await dplaWith(({ path }) => (path === "/v2/items" ? { body: recorded() } : undefined));
    const page = await source.search(searchRequest({ query: "kittens" }), { ...server.context, key: KEY });
    const docs = recorded().docs;

    // 10 docs: 10 items, none dropped (none names a hasView: each item is DPLA's object link)
    expect([docs.length, page.items.length, page.dropped?.length ?? 0]).toEqual([10, 10, 0]);
    expect(page.items.map((i) => [i.remoteId, i.mediaUrl])).toEqual(docs.map((doc) => [doc.id, doc.object]));
    expect(page.items[0]).toEqual({
      remoteId: "43a2f678b647c534de2600c3a9697337",
      mediaType: "image",
      mediaUrl: "http://0.api.artsmia.org/58424.jpg",
      thumbnailUrl: "http://0.api.artsmia.org/58424.jpg",
      pageUrl: "https://collections.artsmia.org/art/58424",
      title: "Kittens",
      author: "Artist: Kellogg and Cumstock",
      license: "Public Domain Mark 1.0",
      licenseUrl: "http://creativecommons.org/publicdomain/mark/1.0/",
    });
    expect(page.items.map((i) => [i.license, i.licenseUrl])).toEqual([
      ["Public Domain Mark 1.0", "http://creativecommons.org/publicdomain/mark/1.0/"],
      // no edm:rights: the provider's own statement (sourceResource.rights)
      [
        expect.stringMatching(/^Copyright to photographs in this collection, in most cases, is retained by Pepperdine University\./),
        undefined,
      ],
      [expect.stringMatching(/^The Queens Library is interested in learning more about items/), undefined],
      ["In Copyright", "http://rightsstatements.org/vocab/InC/1.0/"],
      ["In Copyright - Rights-holder(s) Unlocatable or Unidentifiable", "http://rightsstatements.org/vocab/InC-RUU/1.0/"],
      // a provider's rights page that names no known license
      [undefined, "http://www.mnhs.org/copyright"],
      ["All rights reserved.", undefined],
      ["Contact host institution for more information.", undefined],
      ["CC0 1.0", "http://creativecommons.org/publicdomain/zero/1.0/"],
      ["No Copyright - United States", "http://rightsstatements.org/vocab/NoC-US/1.0/"],
    ]);
    // the doc without a creator has no author; a list of creators gives the first
    expect(page.items[1].author).toBeUndefined();
    expect(page.items[8].author).toBe("Needham, D");
    // count 1219 on pages of 50
    expect(page.nextCursor).toBe("2");
  });
});
