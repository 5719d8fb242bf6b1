import { describe, expect, it } from "vitest";
import { expectFailuresReported, failureReply } from "@/tests/support/museum-test-support";
import { createSmithsonian } from "@/lib/sources/smithsonian";
import { fixtureJson, TEST_USER_AGENT, type FixtureHandler } from "@/tests/support/source-test-server";
import { adapterPerTest, expectSourceError, searchRequest } from "@/tests/support/source-test-kit";

const NAME = "Smithsonian Open Access";
const KEY = "si-test-key";

function words(q: string | null) {
  return /^\((.*)\) AND online_media_type:Images$/.exec(q ?? "")?.[1] ?? null;
}

/** Answers like api.si.edu: the key must match; "aurora" has 4 rows at start 0 and 3. */
const smithsonianApi: FixtureHandler = ({ path, params }) => {
  if (path !== "/openaccess/api/v1.0/search") return undefined;
  const query = words(params.get("q"));
  if (params.get("api_key") !== KEY || query === "forbidden") {
    return {
      status: 403,
      body: { error: { code: "API_KEY_INVALID", message: "An invalid api_key was supplied. Get one at https://api.data.gov:443" } },
    };
  }
  if (query === "aurora")
    return { body: fixtureJson(params.get("start") === "3" ? "smithsonian-search-page2.json" : "smithsonian-search-page1.json") };
  if (query === "gone") return undefined;
  return failureReply(query) ?? { body: { status: 200, responseCode: 1, response: { rows: [], rowCount: 0, message: "content found" } } };
};

const smithsonianWith = adapterPerTest((server) =>
  createSmithsonian({ id: "smithsonian", name: NAME, apiUrl: `${server.origin}/openaccess/api/v1.0` }),
);

describe("Smithsonian Open Access adapter", () => {
  it("sends the key as api_key, narrows to images and returns one item per image", async () => {
    const { source, server } = await smithsonianWith(smithsonianApi);
    const page = await source.search(searchRequest({ query: "aurora" }), { ...server.context, key: KEY });

    expect(Object.fromEntries(server.requests[0].params)).toEqual({
      q: "(aurora) AND online_media_type:Images",
      rows: "50",
      start: "0",
      api_key: KEY,
    });
    expect(server.requests[0].headers["user-agent"]).toBe(TEST_USER_AGENT);

    expect(page.items).toEqual([
      {
        remoteId: "SAAM-1983.95.83_1",
        mediaType: "image",
        mediaUrl: "https://ids.si.edu/ids/deliveryService?id=SAAM-1983.95.83_1",
        thumbnailUrl: "https://ids.si.edu/ids/deliveryService?id=SAAM-1983.95.83_1&max=150",
        pageUrl: "https://americanart.si.edu/collections/search/artwork/?id=1234",
        title: "Aurora Borealis",
        author: "Frederic Edwin Church, born Hartford, CT 1826-died New York City 1900",
        license: "CC0 1.0",
        licenseUrl: "https://creativecommons.org/publicdomain/zero/1.0/",
      },
      expect.objectContaining({ remoteId: "SAAM-1983.95.83_2" }),
      // The row without media is skipped, and so is the 3D package.
      expect.objectContaining({
        remoteId: "NASM-A19700102000-NASM2018-02107",
        pageUrl: "http://n2t.net/ark:/65665/nv9a1b2c3d4e5",
        author: undefined,
        license: "Usage conditions apply",
        licenseUrl: undefined,
      }),
    ]);
    expect(page.nextCursor).toBe("3");
  });

  it("pages by start until rowCount and resumes inside a page when the limit cuts it", async () => {
    const { source, server } = await smithsonianWith(smithsonianApi);
    const ids: string[] = [];
    const cursors: (string | null)[] = [];
    let cursor: string | null = null;
    do {
      const page = await source.search(searchRequest({ query: "aurora", limit: 2, cursor }), { ...server.context, key: KEY });
      expect(page.items.length).toBeLessThanOrEqual(2);
      ids.push(...page.items.map((i) => i.remoteId));
      cursor = page.nextCursor;
      cursors.push(cursor);
    } while (cursor !== null);
    expect(cursors).toEqual(["0:2", "3", null]);
    expect(ids).toEqual([
      "SAAM-1983.95.83_1",
      "SAAM-1983.95.83_2",
      "NASM-A19700102000-NASM2018-02107",
      "edanmdm-nmnhanthropology_8012345-0",
    ]);
    expect(server.requests.map((r) => r.params.get("start"))).toEqual(["0", "0", "3"]);
  });

  it("needs a key, and says so when it is missing or refused", async () => {
    const { source, server } = await smithsonianWith(smithsonianApi);
    await expectSourceError(
      source.search(searchRequest({ query: "aurora" }), server.context),
      /^Smithsonian Open Access: no API key configured$/,
    );
    expect(server.requests).toHaveLength(0);
    const refused = await expectSourceError(
      source.search(searchRequest({ query: "aurora" }), { ...server.context, key: "wrong" }),
      /^Smithsonian Open Access: API key rejected \(403\)$/,
    );
    expect(refused.retryable).toBe(false);
  });

  it("asks nothing for a videos-only job and finishes on a search without results", async () => {
    const { source, server } = await smithsonianWith(smithsonianApi);
    expect(await source.search(searchRequest({ query: "aurora", mediaTypes: "videos" }), { ...server.context, key: KEY })).toEqual({
      items: [],
      nextCursor: null,
    });
    expect(server.requests).toHaveLength(0);
    expect(await source.search(searchRequest({ query: "qqqzzz", mediaTypes: "both" }), { ...server.context, key: KEY })).toEqual({
      items: [],
      nextCursor: null,
    });
  });

  it("reports HTTP failures, malformed JSON and missing fields as SourceErrors naming the Smithsonian", async () => {
    const noRowCount = fixtureJson<{ response: Record<string, unknown> }>("smithsonian-search-page1.json");
    delete noRowCount.response.rowCount;
    const { source, server } = await smithsonianWith((request, origin) =>
      words(request.params.get("q")) === "norowcount" ? { body: noRowCount } : smithsonianApi(request, origin),
    );
    const search = (query: string) => source.search(searchRequest({ query }), { ...server.context, key: KEY });
    await expectFailuresReported(NAME, search, { keyed: true });
    await expectSourceError(search("norowcount"), /^Smithsonian Open Access: malformed response \(missing response\.rowCount\)$/);
  });
});
