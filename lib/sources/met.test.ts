import { describe, expect, it } from "vitest";
import { createMet } from "@/lib/sources/met";
import { fixtureJson, TEST_USER_AGENT, type FixtureHandler } from "@/tests/support/source-test-server";
import { adapterPerTest, expectEmpty, expectSourceError, searchRequest, walkPages } from "@/tests/support/source-test-kit";

const NAME = "The Met";
const OBJECTS = fixtureJson<Record<string, Record<string, unknown>>>("met-objects.json");
/** 45 generic objects with images, for paging through more than one batch of ids. */
const MANY = Array.from({ length: 45 }, (_, i) => 800_000 + i);

function pageOf(ids: number[], params: URLSearchParams) {
  const offset = Number(params.get("offset"));
  const limit = Number(params.get("limit"));
  const slice = ids.slice(offset, offset + limit);
  return { total: ids.length, objectIDs: slice.length ? slice : null };
}

/**
 * Answers like collectionapi.metmuseum.org: v1.1 search pages through ids with offset/limit, and
 * object 855340 is a loan the objects endpoint answers with 404 "Not a valid object".
 */
const metApi: FixtureHandler = ({ path, params }) => {
  if (path === "/public/collection/v1.1/search") {
    const q = params.get("q");
    if (q === "sunflowers") return { body: pageOf(fixtureJson<{ objectIDs: number[] }>("met-search.json").objectIDs, params) };
    if (q === "many") return { body: pageOf(MANY, params) };
    if (q === "deep") return { body: { total: 90_000, objectIDs: MANY.slice(0, Number(params.get("limit"))) } };
    return { body: { total: 0, objectIDs: null } };
  }
  const object = /^\/public\/collection\/v1\/objects\/(\d+)$/.exec(path)?.[1];
  if (object === undefined) return undefined;
  if (OBJECTS[object]) return { body: OBJECTS[object] };
  const n = Number(object);
  if (n >= 800_000 && n < 800_100) {
    return {
      body: {
        objectID: n,
        isPublicDomain: true,
        primaryImage: `https://images.metmuseum.org/CRDImages/x/original/${n}.jpg`,
        primaryImageSmall: "",
        title: `Object ${n}`,
        artistDisplayName: "",
        objectURL: `https://www.metmuseum.org/art/collection/search/${n}`,
      },
    };
  }
  return { status: 404, body: { message: "Not a valid object" } };
};

const metWith = adapterPerTest((server) => createMet({ id: "met-museum", name: NAME, apiUrl: `${server.origin}/public/collection/` }));

describe("The Met adapter", () => {
  it("maps objects recorded by Openverse's Met provider tests, taking every image each offers", async () => {
    // No recorded /v1.1/search (nor /v1/search) response was found: this search reply is ours, the objects are recorded.
    const recorded: Record<string, Record<string, unknown>> = {
      "45734": fixtureJson("met-recorded-object-45734.json"),
      "47533": fixtureJson("met-recorded-object-47533.json"),
    };
    const { source, server } = await metWith(({ path }) => {
      if (path.endsWith("/v1.1/search")) return { body: { total: 2, objectIDs: [45734, 47533] } };
      const object = recorded[/\/objects\/(\d+)$/.exec(path)?.[1] ?? ""];
      return object ? { body: object } : undefined;
    });
    const page = await source.search(searchRequest({ query: "quail" }), server.context);

    // 2 records; 45734 offers a primary and 2 additional images, 47533 a primary only: 4 items, none dropped.
    expect(page.items.map((i) => [i.remoteId, i.mediaUrl])).toEqual([
      ["45734", "https://images.metmuseum.org/CRDImages/as/original/DP251139.jpg"],
      ["45734-1", "https://images.metmuseum.org/CRDImages/as/original/DP251138.jpg"],
      ["45734-2", "https://images.metmuseum.org/CRDImages/as/original/DP251120.jpg"],
      ["47533", "https://images.metmuseum.org/CRDImages/as/original/79_2_414b_S1_sf.jpg"],
    ]);
    expect(page.dropped).toBeUndefined();
    expect(page.items[0]).toEqual({
      remoteId: "45734",
      mediaType: "image",
      mediaUrl: "https://images.metmuseum.org/CRDImages/as/original/DP251139.jpg",
      thumbnailUrl: "https://images.metmuseum.org/CRDImages/as/web-large/DP251139.jpg",
      pageUrl: "https://wwwstg.metmuseum.org/art/collection/search/45734",
      title: "Quail and Millet",
      author: "Kiyohara Yukinobu",
      license: "CC0 1.0",
      licenseUrl: "https://creativecommons.org/publicdomain/zero/1.0/",
    });
    // artistDisplayName "" gives no author.
    expect(page.items[3]).toMatchObject({ title: "Cover", author: undefined, license: "CC0 1.0" });
    expect(page.nextCursor).toBeNull();
  });

  it("pages the v1.1 search, reads each object and reports those without an image", async () => {
    const { source, server } = await metWith(metApi);
    const page = await source.search(searchRequest({ query: "sunflowers" }), server.context);

    const searches = server.requests.filter((r) => r.path.endsWith("/search"));
    expect(searches).toHaveLength(1);
    expect(Object.fromEntries(searches[0].params)).toEqual({ q: "sunflowers", hasImages: "true", offset: "0", limit: "20" });
    expect(
      server.requests
        .map((r) => r.path)
        .filter((p) => p.includes("/objects/"))
        .sort(),
    ).toEqual([
      "/public/collection/v1/objects/11417",
      "/public/collection/v1/objects/436524",
      "/public/collection/v1/objects/437133",
      "/public/collection/v1/objects/459123",
      "/public/collection/v1/objects/855340",
    ]);
    for (const sent of server.requests) expect(sent.headers["user-agent"]).toBe(TEST_USER_AGENT);

    // 11417 has no primaryImage and 855340 answers 404: both are skipped.
    expect(page.items).toEqual([
      {
        remoteId: "437133",
        mediaType: "image",
        mediaUrl: "https://images.metmuseum.org/CRDImages/ep/original/DT1567.jpg",
        thumbnailUrl: "https://images.metmuseum.org/CRDImages/ep/web-large/DT1567.jpg",
        pageUrl: "https://www.metmuseum.org/art/collection/search/437133",
        title: "Wheat Field with Cypresses",
        author: "Vincent van Gogh",
        license: "CC0 1.0",
        licenseUrl: "https://creativecommons.org/publicdomain/zero/1.0/",
      },
      // additionalImages: each one is an item of its own.
      expect.objectContaining({
        remoteId: "437133-1",
        mediaUrl: "https://images.metmuseum.org/CRDImages/ep/original/LC-49_30_detail.jpg",
        thumbnailUrl: undefined,
        title: "Wheat Field with Cypresses",
      }),
      expect.objectContaining({ remoteId: "436524", title: "Sunflowers" }),
      {
        remoteId: "459123",
        mediaType: "image",
        mediaUrl: "https://images.metmuseum.org/CRDImages/rl/original/DP-25011-001.jpg",
        thumbnailUrl: undefined,
        pageUrl: undefined,
        title: undefined,
        author: undefined,
        license: undefined,
        licenseUrl: undefined,
      },
    ]);
    expect(page.dropped).toEqual([
      { remoteId: "11417", reason: "no image offered (primaryImage is empty)" },
      { remoteId: "855340", reason: "the objects endpoint does not know it (404)" },
    ]);
    expect(page.nextCursor).toBeNull();
  });

  it("stops reading objects at the limit, returns an object's images together and resumes at the next id", async () => {
    const { source, server } = await metWith(metApi);
    // An object is returned whole: its additional image comes with it, one item past the limit.
    const first = await source.search(searchRequest({ query: "sunflowers", limit: 1 }), server.context);
    expect(first.items.map((i) => i.remoteId)).toEqual(["437133", "437133-1"]);
    // The cursor is "<offset of the batch>:<ids of it handled>".
    expect(first.nextCursor).toBe("0:1");
    const second = await source.search(searchRequest({ query: "sunflowers", limit: 1, cursor: first.nextCursor }), server.context);
    expect(second.items.map((i) => i.remoteId)).toEqual(["436524"]);
    expect(second.nextCursor).toBe("0:2");
    // The two ids without an image are reported by the call that reached them.
    const rest = await source.search(searchRequest({ query: "sunflowers", limit: 1, cursor: second.nextCursor }), server.context);
    expect(rest.items.map((i) => i.remoteId)).toEqual(["459123"]);
    expect(rest.dropped?.map((d) => d.remoteId)).toEqual(["11417", "855340"]);
    expect(rest.nextCursor).toBeNull();
    expect(first.dropped).toBeUndefined();
    expect(second.dropped).toBeUndefined();
    expect(server.requests.filter((r) => r.path.endsWith("/search")).map((r) => r.params.get("offset"))).toEqual(["0", "0", "0"]);
    // Each object is read once.
    const objects = server.requests.filter((r) => r.path.includes("/objects/")).map((r) => r.path);
    expect(new Set(objects).size).toBe(objects.length);
    expect(objects).toHaveLength(5);
  });

  it("walks a long id list batch by batch until the total", async () => {
    const { source, server } = await metWith(metApi);
    const { ids, cursors } = await walkPages(source, searchRequest({ query: "many" }), server.context);
    expect(cursors).toEqual(["20", "40", null]);
    expect(ids).toEqual(MANY.map(String));
  });

  it("never asks past the first 10,000 matches", async () => {
    const { source, server } = await metWith(metApi);
    const near = await source.search(searchRequest({ query: "deep", cursor: "9990", limit: 100 }), server.context);
    expect(server.requests[0].params.get("limit")).toBe("10");
    expect(near.items).toHaveLength(10);
    expect(near.nextCursor).toBeNull();
    await expectSourceError(
      source.search(searchRequest({ query: "deep", cursor: "10000" }), server.context),
      /^The Met: invalid cursor "10000"$/,
    );
  });

  it("finishes on a search without results", async () => {
    const { source, server } = await metWith(metApi);
    await expectEmpty(source.search(searchRequest({ query: "qqqzzz", mediaTypes: "both" }), server.context));
  });

  it("reports malformed pages as SourceErrors naming the museum", async () => {
    const { source, server } = await metWith((request, origin) => {
      const q = request.params.get("q");
      if (q === "broken") return { body: { total: 1, objectIDs: [437134] } };
      if (q === "objectdown") return { body: { total: 1, objectIDs: [437135] } };
      if (q === "noids") return { body: { total: 3 } };
      if (request.path.endsWith("/437134")) return { body: { isPublicDomain: true, primaryImage: "https://images.metmuseum.org/x.jpg" } };
      if (request.path.endsWith("/437135")) return { status: 503, headers: { "retry-after": "30" }, body: { message: "busy" } };
      return metApi(request, origin);
    });
    const search = (query: string) => source.search(searchRequest({ query }), server.context);
    await expectSourceError(search("noids"), /^The Met: malformed response \(missing objectIDs\)$/);
    // One malformed object is dropped with its reason; it does not fail the page.
    expect(await search("broken")).toEqual({
      items: [],
      nextCursor: null,
      dropped: [{ remoteId: "437134", reason: "a malformed object (missing objectID)" }],
    });
    const busy = await expectSourceError(search("objectdown"), /^The Met: HTTP 503 from /);
    expect(busy.retryAfterMs).toBe(30_000);
  });
});
