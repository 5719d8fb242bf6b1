import { describe, expect, it } from "vitest";
import { createGbif } from "@/lib/sources/gbif";
import { fixtureJson, type FixtureHandler } from "@/tests/support/source-test-server";
import { adapterPerTest, expectEmpty, expectRequest, expectSourceError, searchRequest, walkPages } from "@/tests/support/source-test-kit";

const NAME = "GBIF";

/** Answers like api.gbif.org: "vulpes" has 5 occurrences at offsets 0 and 3. */
const gbifApi: FixtureHandler = ({ path, params }) => {
  if (path !== "/v1/occurrence/search") return undefined;
  const q = params.get("q");
  if (q === "vulpes")
    return { body: fixtureJson(params.get("offset") === "3" ? "gbif-occurrences-page2.json" : "gbif-occurrences-page1.json") };
  if (q === "deep")
    return {
      body: {
        ...fixtureJson<Record<string, unknown>>("gbif-occurrences-page1.json"),
        offset: Number(params.get("offset")),
        count: 5_000_000,
      },
    };
  return { body: { offset: 0, limit: 50, endOfRecords: true, count: 0, results: [], facets: [] } };
};

const gbifWith = adapterPerTest((server) => createGbif({ id: "gbif", name: NAME, apiUrl: `${server.origin}/v1` }));

describe("GBIF adapter", () => {
  it("searches occurrences with still images and returns one item per image", async () => {
    const { source, server } = await gbifWith(gbifApi);
    const page = await source.search(searchRequest({ query: "vulpes" }), server.context);

    expectRequest(server, { params: { q: "vulpes", mediaType: "StillImage", limit: "50", offset: "0" } });

    expect(page.items).toEqual([
      {
        remoteId: "4011234567-0",
        mediaType: "image",
        mediaUrl: "https://inaturalist-open-data.s3.amazonaws.com/photos/351920114/original.jpg",
        pageUrl: "https://www.gbif.org/occurrence/4011234567",
        title: "Vulpes vulpes (Linnaeus, 1758)",
        author: "Ana Lindqvist",
        license: "CC BY-NC 4.0",
        licenseUrl: "http://creativecommons.org/licenses/by-nc/4.0/",
      },
      // The sound at index 1 is skipped.
      expect.objectContaining({ remoteId: "4011234567-2", license: "CC0 1.0" }),
      expect.objectContaining({
        remoteId: "1928374650-0",
        title: "Skull, dorsal view",
        author: "President and Fellows of Harvard College",
        license: "Harvard University; all rights reserved",
        licenseUrl: undefined,
      }),
      // No media type but an image format; the license falls back to the occurrence's.
      expect.objectContaining({
        remoteId: "2999888777-0",
        mediaUrl: "https://observation.org/media/photo/58211234.png",
        author: undefined,
        license: "CC BY 4.0",
        licenseUrl: "http://creativecommons.org/licenses/by/4.0/legalcode",
      }),
    ]);
    expect(page.dropped).toEqual([{ remoteId: "4011234567-1", reason: "a Sound medium, not a still image" }]);
    expect(page.nextCursor).toBe("3");
  });

  it("follows the offset until endOfRecords and resumes inside a page when the limit cuts it", async () => {
    const { source, server } = await gbifWith(gbifApi);
    const { ids, cursors } = await walkPages(source, searchRequest({ query: "vulpes", limit: 3 }), server.context);
    // the first occurrence has 2 images: 3 items take 2 occurrences (the cursor's skip counts occurrences)
    expect(cursors).toEqual(["0:2", "3", null]);
    expect(ids).toEqual(["4011234567-0", "4011234567-2", "1928374650-0", "2999888777-0", "3100200300-0"]);
    expect(server.requests.map((r) => r.params.get("offset"))).toEqual(["0", "0", "3"]);
  });

  it("stops before the 100,000 offset limit", async () => {
    const { source, server } = await gbifWith(gbifApi);
    const near = await source.search(searchRequest({ query: "deep", cursor: "99900" }), server.context);
    expect(near.nextCursor).toBe("99903");
    const last = await source.search(searchRequest({ query: "deep", cursor: "99950" }), server.context);
    expect(last.nextCursor).toBeNull();
    await expectSourceError(
      source.search(searchRequest({ query: "deep", cursor: "99960" }), server.context),
      /^GBIF: invalid cursor "99960"$/,
    );
    expect(server.requests).toHaveLength(2);
  });

  it("finishes on a search without results", async () => {
    const { source, server } = await gbifWith(gbifApi);
    await expectEmpty(source.search(searchRequest({ query: "qqqzzz", mediaTypes: "both" }), server.context));
  });

  // HTTP failures, malformed JSON and pages without results are covered for every adapter by tests/sources/failure-contract.test.ts.
  it("drops only an occurrence that fails its schema, and media in formats Trawl cannot store, each with its reason", async () => {
    const body = fixtureJson<{ results: { key?: number; media: Record<string, unknown>[] }[] }>("gbif-occurrences-page1.json");
    delete body.results[1].key;
    body.results[0].media[2] = { type: "StillImage", format: "application/pdf", identifier: "https://example.org/scan/plate-12.pdf" };
    const { source, server } = await gbifWith(({ path }) => (path === "/v1/occurrence/search" ? { body } : undefined));
    const page = await source.search(searchRequest({ query: "vulpes" }), server.context);
    expect(page.items.map((i) => i.remoteId)).toEqual(["4011234567-0", "2999888777-0"]);
    expect(page.dropped).toEqual([
      { remoteId: "4011234567-1", reason: "a Sound medium, not a still image" },
      { remoteId: "4011234567-2", reason: "a file of type application/pdf, which Trawl cannot store" },
      { reason: "a malformed record (missing key)" },
    ]);
  });

  // Occurrence searches recorded from api.gbif.org by pygbif's VCR cassettes on 2024-10-04
  // (provenance: tests/fixtures/sources/gbif-recorded.provenance.md), trimmed to 4 occurrences each.
  describe("over recorded api.gbif.org responses", () => {
    const recordedWith = (name: string) =>
      gbifWith(({ path }) => (path === "/v1/occurrence/search" ? { body: fixtureJson(name) } : undefined));
    const mediaCount = (name: string) =>
      fixtureJson<{ results: { media?: unknown[] }[] }>(name).results.reduce((sum, r) => sum + (r.media?.length ?? 0), 0);

    it("drops arter.dk's HEIC originals with their reason and keeps the JPEGs", async () => {
      const { source, server } = await recordedWith("gbif-recorded-search-heic.json");
      const page = await source.search(searchRequest({ query: "amanita" }), server.context);

      // 4 occurrences with 7 media: 3 items and 4 dropped.
      expect(mediaCount("gbif-recorded-search-heic.json")).toBe(7);
      expect(page.items).toEqual([
        {
          remoteId: "4909740830-0",
          mediaType: "image",
          mediaUrl: "https://arter.dk/media/747389ab-7915-4a92-8ae8-b1b2010dcb62.jpg",
          pageUrl: "https://www.gbif.org/occurrence/4909740830",
          title: "Amanita muscaria (L.) Hook.",
          author: "Karina Nielsen",
          license: "CC BY 4.0",
          licenseUrl: "http://creativecommons.org/licenses/by/4.0/",
        },
        expect.objectContaining({ remoteId: "4909740830-1", mediaUrl: "https://arter.dk/media/01d74793-009f-419a-a162-b1b2010dc980.jpg" }),
        // A medium license in words, not a URL, stays the medium's own.
        expect.objectContaining({ remoteId: "4947313017-0", license: "All rights reserved", licenseUrl: undefined }),
      ]);
      expect(page.dropped).toEqual(
        ["4414475510-0", "4878345325-0", "4878345325-1", "4878345325-2"].map((remoteId) => ({
          remoteId,
          reason: "HEIC, which Trawl cannot store",
        })),
      );
      // endOfRecords is false: the next offset follows the 4 occurrences.
      expect(page.nextCursor).toBe("4");
    });

    it("drops ALA's provider thumbnails and takes the occurrence's CC license over a publisher's terms page", async () => {
      const { source, server } = await recordedWith("gbif-recorded-search-thumbnails.json");
      const page = await source.search(searchRequest({ query: "cycas" }), server.context);

      // 4 occurrences with 5 media: 2 items and 3 dropped.
      expect(mediaCount("gbif-recorded-search-thumbnails.json")).toBe(5);
      expect(page.items).toEqual([
        expect.objectContaining({
          remoteId: "4516882503-0",
          mediaUrl: "https://inaturalist-open-data.s3.amazonaws.com/photos/348380890/original.jpg",
          license: "CC BY-NC 4.0",
        }),
        {
          remoteId: "4929436306-0",
          mediaType: "image",
          mediaUrl: "http://data.huh.harvard.edu/261f9267-77cc-4bb1-8461-303bb65f7682/image",
          pageUrl: "https://www.gbif.org/occurrence/4929436306",
          title: "Cycas circinalis L.",
          author: "President and Fellows of Harvard College",
          // media.license is https://huh.harvard.edu/access-digital-reproductions-works-public-domain.
          license: "CC BY 4.0",
          licenseUrl: "http://creativecommons.org/licenses/by/4.0/legalcode",
        },
      ]);
      expect(page.dropped).toEqual(
        ["3466809616-0", "3466809616-1", "2432626071-0"].map((remoteId) => ({
          remoteId,
          reason: "only the provider's thumbnail, not the image",
        })),
      );
    });

    it("reports each dropped medium once when the limit splits a page", async () => {
      const { source, server } = await recordedWith("gbif-recorded-search-heic.json");
      const first = await source.search(searchRequest({ query: "amanita", limit: 2 }), server.context);
      expect(first.items.map((i) => i.remoteId)).toEqual(["4909740830-0", "4909740830-1"]);
      expect(first.dropped).toBeUndefined();
      // the first occurrence holds both items: the second call resumes after it
      expect(first.nextCursor).toBe("0:1");
      const rest = await source.search(searchRequest({ query: "amanita", limit: 2, cursor: first.nextCursor }), server.context);
      expect(rest.items.map((i) => i.remoteId)).toEqual(["4947313017-0"]);
      expect(rest.dropped?.map((d) => d.remoteId)).toEqual(["4414475510-0", "4878345325-0", "4878345325-1", "4878345325-2"]);
    });
  });
});
