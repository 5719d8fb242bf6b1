import { describe, expect, it } from "vitest";
import { createInaturalist } from "@/lib/sources/inaturalist";
import { fixtureJson, type FixtureHandler } from "@/tests/support/source-test-server";
import { adapterPerTest, expectEmpty, expectRequest, expectSourceError, searchRequest, walkPages } from "@/tests/support/source-test-kit";

const NAME = "iNaturalist";

/** Answers like api.inaturalist.org: "fox" has 55 observations (fixtures hold a few of each page). */
const inatApi: FixtureHandler = ({ path, params }) => {
  if (path !== "/v1/observations") return undefined;
  const q = params.get("q");
  if (q === "fox")
    return {
      body: fixtureJson(params.get("page") === "2" ? "inaturalist-observations-page2.json" : "inaturalist-observations-page1.json"),
    };
  if (q === "deep")
    return {
      body: {
        ...fixtureJson<Record<string, unknown>>("inaturalist-observations-page1.json"),
        total_results: 250_000,
        page: Number(params.get("page")),
      },
    };
  return { body: { total_results: 0, page: 1, per_page: 50, results: [] } };
};

const inatWith = adapterPerTest((server) => createInaturalist({ id: "inaturalist", name: NAME, apiUrl: `${server.origin}/v1` }));

describe("iNaturalist adapter", () => {
  it("searches observations with photos and returns one item per photo at its original size", async () => {
    const { source, server } = await inatWith(inatApi);
    const page = await source.search(searchRequest({ query: "fox" }), server.context);

    expectRequest(server, { params: { q: "fox", photos: "true", per_page: "50", page: "1" } });

    expect(page.items).toEqual([
      {
        remoteId: "351920114",
        mediaType: "image",
        mediaUrl: "https://inaturalist-open-data.s3.amazonaws.com/photos/351920114/original.jpg",
        thumbnailUrl: "https://inaturalist-open-data.s3.amazonaws.com/photos/351920114/medium.jpg",
        pageUrl: "https://www.inaturalist.org/observations/201843765",
        title: "Red Fox",
        author: "Ana Lindqvist",
        license: "CC BY-NC",
      },
      expect.objectContaining({
        remoteId: "351920131",
        mediaUrl: "https://inaturalist-open-data.s3.amazonaws.com/photos/351920131/original.jpeg",
        license: "CC0",
      }),
      expect.objectContaining({
        remoteId: "348110202",
        mediaUrl: "https://static.inaturalist.org/photos/348110202/original.jpg?1706371201",
        title: "fox",
        author: "mossy_stone",
        license: "All rights reserved",
      }),
      expect.objectContaining({
        remoteId: "329876543",
        title: "Vulpes lagopus",
        license: "CC BY-SA",
        mediaUrl: "https://inaturalist-open-data.s3.amazonaws.com/photos/329876543/original.png",
      }),
    ]);
    expect(page.nextCursor).toBe("2");
  });

  it("stops after the last page and resumes inside a page when the limit cuts it", async () => {
    const { source, server } = await inatWith(inatApi);
    const { ids, cursors } = await walkPages(source, searchRequest({ query: "fox", limit: 3 }), server.context);
    // the first observation has 2 photos: 3 items take 2 observations (the cursor's skip counts observations)
    expect(cursors).toEqual(["1:2", "2", null]);
    expect(ids).toEqual(["351920114", "351920131", "348110202", "329876543", "260004455", "260009911"]);
  });

  it("never asks past the 10,000-result window", async () => {
    const { source, server } = await inatWith(inatApi);
    expect((await source.search(searchRequest({ query: "deep", cursor: "199" }), server.context)).nextCursor).toBe("200");
    expect((await source.search(searchRequest({ query: "deep", cursor: "200" }), server.context)).nextCursor).toBeNull();
    await expectSourceError(
      source.search(searchRequest({ query: "deep", cursor: "201" }), server.context),
      /^iNaturalist: invalid cursor "201"$/,
    );
    expect(server.requests).toHaveLength(2);
  });

  it("finishes on a search without results", async () => {
    const { source, server } = await inatWith(inatApi);
    await expectEmpty(source.search(searchRequest({ query: "qqqzzz", mediaTypes: "both" }), server.context));
  });

  // HTTP failures, malformed JSON and pages without results are covered for every adapter by tests/sources/failure-contract.test.ts.
  it("drops only an observation that fails its schema, a hidden photo and an observation without photos, each with its reason", async () => {
    const body = fixtureJson<{ results: { id: number; photos: Record<string, unknown>[] }[] }>("inaturalist-observations-page1.json");
    delete body.results[0].photos[1].url;
    body.results[1].photos[0].hidden = true;
    body.results[2].photos = [];
    const { source, server } = await inatWith(({ path }) => (path === "/v1/observations" ? { body } : undefined));
    const page = await source.search(searchRequest({ query: "fox" }), server.context);
    expect(page.items).toEqual([]);
    expect(page.dropped).toEqual([
      { remoteId: "201843765", reason: "a malformed record (missing photos.1.url)" },
      { remoteId: "348110202", reason: "a photo hidden by iNaturalist's moderators" },
      { remoteId: "187554320", reason: "the observation has no photos" },
    ]);
  });
});

describe("iNaturalist adapter on recorded /v1/observations responses (pyinat/pyinaturalist test/sample_data/v1)", () => {
  const recordedWith = (name: string) => inatWith(({ path }) => (path === "/v1/observations" ? { body: fixtureJson(name) } : undefined));
  type Recorded = { total_results: number; results: { photos: unknown[] }[] };

  it("turns each recorded photo of an observation into an item at its original size, with the CC license", async () => {
    const name = "inaturalist-pyinaturalist-observation-16227955.json";
    const { source, server } = await recordedWith(name);
    const page = await source.search(searchRequest({ query: "lixus" }), server.context);
    const recorded = fixtureJson<Recorded>(name);

    // 1 observation with 2 photos: 2 items, none dropped
    expect([recorded.results.length, recorded.results[0].photos.length, page.items.length, page.dropped?.length ?? 0]).toEqual([
      1, 2, 2, 0,
    ]);
    expect(page.items).toEqual(
      ["24355315", "24355313"].map((id) => ({
        remoteId: id,
        mediaType: "image",
        mediaUrl: `https://inaturalist-open-data.s3.amazonaws.com/photos/${id}/original.jpeg`,
        thumbnailUrl: `https://inaturalist-open-data.s3.amazonaws.com/photos/${id}/medium.jpeg`,
        pageUrl: "https://www.inaturalist.org/observations/16227955",
        title: "Lixus bardanae",
        author: "Nicolas Noé",
        license: "CC BY",
      })),
    );
    // total_results is 1: there is no second page
    expect(page.nextCursor).toBeNull();
  });

  it("reads a recorded photo without a license code as all rights reserved and keeps its cache-busting query", async () => {
    const name = "inaturalist-pyinaturalist-observations-page2.json";
    const { source, server } = await recordedWith(name);
    const page = await source.search(searchRequest({ query: "monarch", cursor: "2" }), server.context);

    expect([fixtureJson<Recorded>(name).results.length, page.items.length, page.dropped?.length ?? 0]).toEqual([1, 1, 0]);
    expect(page.items).toEqual([
      {
        remoteId: "92075215",
        mediaType: "image",
        mediaUrl: "https://static.inaturalist.org/photos/92075215/original.jpg?1598503820",
        thumbnailUrl: "https://static.inaturalist.org/photos/92075215/medium.jpg?1598503820",
        pageUrl: "https://www.inaturalist.org/observations/57707611",
        title: "Monarch",
        author: "ingridt3",
        license: "All rights reserved",
      },
    ]);
    // page 2 of per_page 50 is past total_results 2
    expect(page.nextCursor).toBeNull();
  });
});
