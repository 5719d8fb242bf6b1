import { describe, expect, it } from "vitest";
import { createInaturalist } from "@/lib/sources/inaturalist";
import { expectFailuresReported, failureReply } from "@/tests/support/museum-test-support";
import { fixtureJson, TEST_USER_AGENT, type FixtureHandler } from "@/tests/support/source-test-server";
import { adapterPerTest, expectSourceError, searchRequest } from "@/tests/support/source-test-kit";

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
  if (q === "gone") return undefined;
  return failureReply(q) ?? { body: { total_results: 0, page: 1, per_page: 50, results: [] } };
};

const inatWith = adapterPerTest((server) => createInaturalist({ id: "inaturalist", name: NAME, apiUrl: `${server.origin}/v1` }));

describe("iNaturalist adapter", () => {
  it("searches observations with photos and returns one item per photo at its original size", async () => {
    const { source, server } = await inatWith(inatApi);
    const page = await source.search(searchRequest({ query: "fox" }), server.context);

    expect(server.requests).toHaveLength(1);
    expect(Object.fromEntries(server.requests[0].params)).toEqual({ q: "fox", photos: "true", per_page: "50", page: "1" });
    expect(server.requests[0].headers["user-agent"]).toBe(TEST_USER_AGENT);

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
    const ids: string[] = [];
    const cursors: (string | null)[] = [];
    let cursor: string | null = null;
    do {
      const page = await source.search(searchRequest({ query: "fox", limit: 3, cursor }), server.context);
      expect(page.items.length).toBeLessThanOrEqual(3);
      ids.push(...page.items.map((i) => i.remoteId));
      cursor = page.nextCursor;
      cursors.push(cursor);
    } while (cursor !== null);
    expect(cursors).toEqual(["1:3", "2", null]);
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

  it("asks nothing for a videos-only job and finishes on a search without results", async () => {
    const { source, server } = await inatWith(inatApi);
    expect(await source.search(searchRequest({ query: "fox", mediaTypes: "videos" }), server.context)).toEqual({
      items: [],
      nextCursor: null,
    });
    expect(server.requests).toHaveLength(0);
    expect(await source.search(searchRequest({ query: "qqqzzz", mediaTypes: "both" }), server.context)).toEqual({
      items: [],
      nextCursor: null,
    });
  });

  it("reports HTTP failures, malformed JSON and missing fields as SourceErrors naming iNaturalist", async () => {
    const noUrl = fixtureJson<{ results: { photos: Record<string, unknown>[] }[] }>("inaturalist-observations-page1.json");
    delete noUrl.results[0].photos[1].url;
    const { source, server } = await inatWith((request, origin) =>
      request.params.get("q") === "nourl" ? { body: noUrl } : inatApi(request, origin),
    );
    const search = (query: string) => source.search(searchRequest({ query }), server.context);
    await expectFailuresReported(NAME, search, { keyed: false });
    await expectSourceError(search("nourl"), /^iNaturalist: malformed response \(missing results\[0\]\.photos\[1\]\.url\)$/);
  });
});
