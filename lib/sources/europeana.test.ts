import { describe, expect, it } from "vitest";
import { createEuropeana } from "@/lib/sources/europeana";
import { expectFailuresReported, failureReply } from "@/tests/support/museum-test-support";
import { fixtureJson, TEST_USER_AGENT, type FixtureHandler } from "@/tests/support/source-test-server";
import { adapterPerTest, expectSourceError, searchRequest } from "@/tests/support/source-test-kit";
import type { SourceAdapter } from "@/lib/sources/types";

const NAME = "Europeana";
const KEY = "europeana-test-key";
const PAGE2_CURSOR = fixtureJson<{ nextCursor: string }>("europeana-images-page1.json").nextCursor;

/** Answers like api.europeana.eu: the key comes in X-Api-Key; "aurora" has 2 image pages and 1 video page. */
const europeanaApi: FixtureHandler = ({ path, params, headers }) => {
  if (path !== "/record/v2/search.json") return undefined;
  const query = params.get("query");
  if (headers["x-api-key"] !== KEY)
    return { status: 401, body: { apikey: headers["x-api-key"] ?? null, success: false, error: "Invalid API key" } };
  if (query === "aurora" && params.get("qf") === "TYPE:IMAGE") {
    return { body: fixtureJson(params.get("cursor") === PAGE2_CURSOR ? "europeana-images-page2.json" : "europeana-images-page1.json") };
  }
  if (query === "aurora" && params.get("qf") === "TYPE:VIDEO") return { body: fixtureJson("europeana-videos.json") };
  if (query === "gone") return undefined;
  return failureReply(query) ?? { body: { apikey: KEY, success: true, itemsCount: 0, totalResults: 0 } };
};

const europeanaWith = adapterPerTest((server) => createEuropeana({ id: "europeana", name: NAME, apiUrl: `${server.origin}/record/v2` }));

describe("Europeana adapter", () => {
  it("sends the key in X-Api-Key, asks for images with media and takes edmIsShownBy", async () => {
    const { source, server } = await europeanaWith(europeanaApi);
    const page = await source.search(searchRequest({ query: "aurora" }), { ...server.context, key: KEY });

    expect(Object.fromEntries(server.requests[0].params)).toEqual({
      query: "aurora",
      media: "true",
      qf: "TYPE:IMAGE",
      rows: "50",
      cursor: "*",
    });
    expect(server.requests[0].headers["x-api-key"]).toBe(KEY);
    expect(server.requests[0].headers["user-agent"]).toBe(TEST_USER_AGENT);

    expect(page.items).toEqual([
      {
        remoteId: "/2021672/resource_document_mauritshuis_670",
        mediaType: "image",
        mediaUrl: "https://www.mauritshuis.nl/media/qthpa3tm/0670_repro_2.jpg",
        thumbnailUrl:
          "https://api.europeana.eu/thumbnail/v2/url.json?uri=https%3A%2F%2Fwww.mauritshuis.nl%2Fmedia%2Fqthpa3tm%2F0670_repro_2.jpg&type=IMAGE",
        pageUrl: "https://www.europeana.eu/item/2021672/resource_document_mauritshuis_670",
        title: "Girl with a Pearl Earring",
        author: "Johannes Vermeer",
        license: "Public Domain Mark 1.0",
        licenseUrl: "http://creativecommons.org/publicdomain/mark/1.0/",
      },
      expect.objectContaining({ remoteId: "/2023837/_RCE_12345", license: "CC BY-SA 4.0" }),
      // The record without edmIsShownBy is skipped.
      expect.objectContaining({
        remoteId: "/916118/aurora_fi_1904",
        title: undefined,
        author: undefined,
        thumbnailUrl: undefined,
        license: "No Copyright - Non-Commercial Use Only",
      }),
    ]);
    expect(JSON.parse(page.nextCursor ?? "null")).toEqual({ phase: "IMAGE", cursor: PAGE2_CURSOR, skip: 0 });
  });

  it("follows nextCursor, then searches videos for both, keeping only direct video files", async () => {
    const { source, server } = await europeanaWith(europeanaApi);
    const ids: string[] = [];
    const cursors: unknown[] = [];
    let cursor: string | null = null;
    do {
      const page: Awaited<ReturnType<SourceAdapter["search"]>> = await source.search(
        searchRequest({ query: "aurora", mediaTypes: "both", limit: 2, cursor }),
        { ...server.context, key: KEY },
      );
      expect(page.items.length).toBeLessThanOrEqual(2);
      ids.push(...page.items.map((i) => `${i.mediaType}:${i.remoteId}`));
      cursor = page.nextCursor;
      cursors.push(cursor === null ? null : JSON.parse(cursor));
    } while (cursor !== null);
    expect(cursors).toEqual([
      { phase: "IMAGE", cursor: "*", skip: 2 },
      { phase: "IMAGE", cursor: PAGE2_CURSOR, skip: 0 },
      { phase: "VIDEO", cursor: "*", skip: 0 },
      null,
    ]);
    expect(ids).toEqual([
      "image:/2021672/resource_document_mauritshuis_670",
      "image:/2023837/_RCE_12345",
      "image:/916118/aurora_fi_1904",
      "image:/2022106/aurora_stormer_1910",
      "image:/2048001/aurora_1899",
      "video:/2051906/data_euscreenXL_http___www_openbeelden_nl_media_12345",
    ]);
    expect(server.requests.map((r) => `${r.params.get("qf")} ${r.params.get("cursor")}`)).toEqual([
      "TYPE:IMAGE *",
      "TYPE:IMAGE *",
      `TYPE:IMAGE ${PAGE2_CURSOR}`,
      "TYPE:VIDEO *",
    ]);
  });

  it("searches videos only for a videos job and rejects a cursor of another phase", async () => {
    const { source, server } = await europeanaWith(europeanaApi);
    const videos = await source.search(searchRequest({ query: "aurora", mediaTypes: "videos" }), { ...server.context, key: KEY });
    expect(videos.items.map((i) => i.mediaUrl)).toEqual([
      "https://www.openbeelden.nl/files/12/34/1234567.1234560.WEEKNUMMER401-HRE0001A2B3.mp4",
    ]);
    expect(videos.items[0]).toMatchObject({ mediaType: "video", license: "CC BY-SA 3.0", author: "Polygoon-Profilti (producent)" });
    expect(videos.nextCursor).toBeNull();
    await expectSourceError(
      source.search(
        searchRequest({ query: "aurora", mediaTypes: "videos", cursor: JSON.stringify({ phase: "IMAGE", cursor: "*", skip: 0 }) }),
        { ...server.context, key: KEY },
      ),
      /^Europeana: invalid cursor /,
    );
    expect(await source.search(searchRequest({ query: "qqqzzz" }), { ...server.context, key: KEY })).toEqual({
      items: [],
      nextCursor: null,
    });
  });

  it("needs a key, and says so when it is missing or refused", async () => {
    const { source, server } = await europeanaWith(europeanaApi);
    await expectSourceError(source.search(searchRequest({ query: "aurora" }), server.context), /^Europeana: no API key configured$/);
    expect(server.requests).toHaveLength(0);
    await expectSourceError(
      source.search(searchRequest({ query: "aurora" }), { ...server.context, key: "wrong" }),
      /^Europeana: API key rejected \(401\)$/,
    );
  });

  it("reports HTTP failures, API errors, malformed JSON and missing fields as SourceErrors naming Europeana", async () => {
    const noId = fixtureJson<{ items: Record<string, unknown>[] }>("europeana-images-page1.json");
    delete noId.items[1].id;
    const { source, server } = await europeanaWith((request, origin) => {
      const query = request.params.get("query");
      if (query === "noid") return { body: noId };
      if (query === "refused") return { body: { success: false, error: "Invalid query parameter: cursor" } };
      return europeanaApi(request, origin);
    });
    const search = (query: string) => source.search(searchRequest({ query }), { ...server.context, key: KEY });
    await expectFailuresReported(NAME, search, { keyed: true });
    await expectSourceError(search("noid"), /^Europeana: malformed response \(missing items\[1\]\.id\)$/);
    await expectSourceError(search("refused"), /^Europeana: API error: Invalid query parameter: cursor$/);
  });
});
