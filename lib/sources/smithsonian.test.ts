import { describe, expect, it } from "vitest";
import { createSmithsonian } from "@/lib/sources/smithsonian";
import { fixtureJson, type FixtureHandler } from "@/tests/support/source-test-server";
import { adapterPerTest, expectEmpty, expectRequest, expectSourceError, searchRequest, walkPages } from "@/tests/support/source-test-kit";

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
  return { body: { status: 200, responseCode: 1, response: { rows: [], rowCount: 0, message: "content found" } } };
};

const smithsonianWith = adapterPerTest((server) =>
  createSmithsonian({ id: "smithsonian", name: NAME, apiUrl: `${server.origin}/openaccess/api/v1.0` }),
);

describe("Smithsonian Open Access adapter", () => {
  it("sends the key as api_key, narrows to images and returns one item per image", async () => {
    const { source, server } = await smithsonianWith(smithsonianApi);
    const page = await source.search(searchRequest({ query: "aurora" }), { ...server.context, key: KEY });

    expectRequest(server, {
      params: {
        q: "(aurora) AND online_media_type:Images",
        rows: "50",
        start: "0",
        api_key: KEY,
      },
    });

    expect(page.items).toEqual([
      {
        remoteId: "SAAM-1983.95.83_1",
        mediaType: "image",
        // the "High-resolution JPEG" resource, not the delivery service's default size
        mediaUrl: "https://ids.si.edu/ids/download?id=SAAM-1983.95.83_1.jpg",
        thumbnailUrl: "https://ids.si.edu/ids/deliveryService?id=SAAM-1983.95.83_1&max=150",
        pageUrl: "https://americanart.si.edu/collections/search/artwork/?id=1234",
        title: "Aurora Borealis",
        author: "Frederic Edwin Church, born Hartford, CT 1826-died New York City 1900",
        license: "CC0 1.0",
        licenseUrl: "https://creativecommons.org/publicdomain/zero/1.0/",
      },
      // No resources: the delivery service's content URL.
      expect.objectContaining({ remoteId: "SAAM-1983.95.83_2", mediaUrl: "https://ids.si.edu/ids/deliveryService?id=SAAM-1983.95.83_2" }),
      expect.objectContaining({
        remoteId: "NASM-A19700102000-NASM2018-02107",
        pageUrl: "http://n2t.net/ark:/65665/nv9a1b2c3d4e5",
        author: undefined,
        license: "Usage conditions apply",
        licenseUrl: undefined,
      }),
    ]);
    // The row without media is dropped, and so is the 3D package, each with its reason.
    expect(page.dropped).toEqual([
      { remoteId: "edanmdm-nmah_557438", reason: "the record lists no online media" },
      { remoteId: "edanmdm-nasm_A19700102000-0", reason: "a 3d_package medium, not an image" },
    ]);
    expect(page.nextCursor).toBe("3");
  });

  it("pages by start until rowCount and resumes inside a page when the limit cuts it", async () => {
    const { source, server } = await smithsonianWith(smithsonianApi);
    const { ids, cursors } = await walkPages(source, searchRequest({ query: "aurora", limit: 2 }), { ...server.context, key: KEY });
    // the first row has 2 images: the cursor's skip counts the rows handled
    expect(cursors).toEqual(["0:1", "3", null]);
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

  it("finishes on a search without results", async () => {
    const { source, server } = await smithsonianWith(smithsonianApi);
    await expectEmpty(source.search(searchRequest({ query: "qqqzzz", mediaTypes: "both" }), { ...server.context, key: KEY }));
  });

  // HTTP failures, malformed JSON and pages without rows are covered for every adapter by tests/sources/failure-contract.test.ts.
  it("fails a page without rowCount, drops only a row that fails its schema, and takes a maker as the author", async () => {
    const noRowCount = fixtureJson<{ response: Record<string, unknown> }>("smithsonian-search-page1.json");
    delete noRowCount.response.rowCount;
    const badRow = fixtureJson<{ response: { rows: Record<string, unknown>[] } }>("smithsonian-search-page1.json");
    delete badRow.response.rows[0].id;
    const subjectFirst = fixtureJson<{ response: { rows: { content: { freetext?: unknown } }[] } }>("smithsonian-search-page2.json");
    subjectFirst.response.rows[0].content.freetext = {
      name: [
        { label: "Subject", content: "Aurora borealis" },
        { label: "Photographer", content: "Ansel Adams" },
      ],
    };
    const { source, server } = await smithsonianWith((request, origin) => {
      const query = words(request.params.get("q"));
      if (query === "norowcount") return { body: noRowCount };
      if (query === "badrow") return { body: badRow };
      if (query === "subject") return { body: subjectFirst };
      return smithsonianApi(request, origin);
    });
    const search = (query: string) => source.search(searchRequest({ query }), { ...server.context, key: KEY });
    await expectSourceError(search("norowcount"), /^Smithsonian Open Access: malformed response \(missing response\.rowCount\)$/);
    const bad = await search("badrow");
    expect(bad.items.map((i) => i.remoteId)).toEqual(["NASM-A19700102000-NASM2018-02107"]);
    expect(bad.dropped?.[0]).toEqual({ reason: "a malformed record (missing id)" });
    expect((await search("subject")).items[0].author).toBe("Ansel Adams");
  });
});

describe("Smithsonian Open Access adapter on rows recorded by Openverse (WordPress/openverse-catalog resources/smithsonian)", () => {
  type Recorded = { response: { rowCount: number; rows: Record<string, unknown>[] } };
  const recordedWith = (body: unknown) => smithsonianWith(({ path }) => (path === "/openaccess/api/v1.0/search" ? { body } : undefined));

  it("maps a recorded search page: its one row of a Smithsonian Institution Archives photograph", async () => {
    const recorded = fixtureJson<Recorded>("smithsonian-openverse-search.json");
    const { source, server } = await recordedWith(recorded);
    const page = await source.search(searchRequest({ query: "elephant" }), { ...server.context, key: KEY });

    // 1 row with 1 image: 1 item, none dropped
    expect([recorded.response.rows.length, page.items.length, page.dropped?.length ?? 0]).toEqual([1, 1, 0]);
    expect(page.items[0]).toEqual({
      remoteId: "SIA-SIA2010-2358",
      mediaType: "image",
      mediaUrl: "https://ids.si.edu/ids/deliveryService?id=SIA-SIA2010-2358",
      thumbnailUrl: "https://ids.si.edu/ids/deliveryService?id=SIA-SIA2010-2358&max=150",
      // the row has neither record_link nor guid
      pageUrl: undefined,
      title: "Views of the National Zoological Park in Washington, DC, showing Elephant",
      // freetext.name: Creator "Gruber, Martin A", then Subject "National Zoological Park (U.S.)"
      author: "Gruber, Martin A",
      license: "CC0 1.0",
      licenseUrl: "https://creativecommons.org/publicdomain/zero/1.0/",
    });
    // rowCount 734: the next page starts after the one row returned
    expect(page.nextCursor).toBe("1");
  });

  it("maps a recorded NMNH specimen row whose image is served by the museum's own media server", async () => {
    // The recording is one row of a search response; it is served here in the response envelope the API wraps rows in.
    const row = fixtureJson<Record<string, unknown>>("smithsonian-openverse-row.json");
    const { source, server } = await recordedWith({
      status: 200,
      responseCode: 1,
      response: { rows: [row], rowCount: 1, message: "content found" },
    });
    const page = await source.search(searchRequest({ query: "sparrow" }), { ...server.context, key: KEY });

    expect([page.items.length, page.dropped?.length ?? 0]).toEqual([1, 0]);
    expect(page.items[0]).toEqual({
      remoteId: "https://collections.nmnh.si.edu/media/?irn=15814382",
      mediaType: "image",
      mediaUrl: "https://collections.nmnh.si.edu/media/?irn=15814382",
      thumbnailUrl: "https://collections.nmnh.si.edu/media/?irn=15814382&thumb=yes",
      pageUrl: "http://n2t.net/ark:/65665/34857ca78-9195-4156-849b-1ec47f7cd1ce",
      title: "Passerculus sandwichensis nevadensis",
      // the collector is the only name (label "Collector")
      author: "Seymour H. Levy",
      license: "CC0 1.0",
      licenseUrl: "https://creativecommons.org/publicdomain/zero/1.0/",
    });
    expect(page.nextCursor).toBeNull();
  });
});
