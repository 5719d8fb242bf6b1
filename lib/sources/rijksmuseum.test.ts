import { describe, expect, it } from "vitest";
import { createRijksmuseum } from "@/lib/sources/rijksmuseum";
import { fixtureText, TEST_USER_AGENT, type FixtureHandler, type FixtureReply } from "@/tests/support/source-test-server";
import { adapterPerTest, expectEmpty, expectSourceError, searchRequest, walkPages } from "@/tests/support/source-test-kit";

const NAME = "Rijksmuseum";
const PAGE2_TOKEN = "eyJ0b2tlbiI6IDIwMH0";

/** A fixture with id.rijksmuseum.nl identifiers pointing at the test server, as the resolver does at the museum. */
function fixture(name: string, origin: string): Record<string, unknown> {
  return JSON.parse(fixtureText(name).replaceAll("https://id.rijksmuseum.nl/", `${origin}/id/`)) as Record<string, unknown>;
}

/** Answers like data.rijksmuseum.nl: title search in two pages, and Linked Art records by id. */
const rijksApi: FixtureHandler = ({ path, params, headers }, origin) => {
  if (headers.accept !== "application/ld+json") return { status: 406, body: { error: "Not Acceptable" } };
  const record = /^\/id\/(\d+)$/.exec(path)?.[1];
  if (record) {
    const found = fixture("rijksmuseum-records.json", origin)[record];
    return found ? { body: found } : undefined;
  }
  if (path !== "/search/collection") return undefined;
  const title = params.get("title");
  if (params.has("q")) return { status: 400, body: { error: "Unsupported query parameter: q" } };
  if (title === "zelfportret")
    return {
      body: fixture(params.get("pageToken") === PAGE2_TOKEN ? "rijksmuseum-search-page2.json" : "rijksmuseum-search-page1.json", origin),
    };
  return {
    body: {
      "@context": "https://linked.art/ns/v1/search.json",
      type: "OrderedCollectionPage",
      partOf: { totalItems: 0 },
      orderedItems: [],
    },
  };
};

const rijksWith = adapterPerTest((server) => createRijksmuseum({ id: "rijksmuseum", name: NAME, apiUrl: `${server.origin}/` }));

describe("Rijksmuseum adapter", () => {
  it("searches titles with images and follows object -> visual item -> digital object to the IIIF image", async () => {
    const { source, server } = await rijksWith(rijksApi);
    const page = await source.search(searchRequest({ query: "zelfportret" }), server.context);
    const origin = server.origin;

    expect(Object.fromEntries(server.requests[0].params)).toEqual({ title: "zelfportret", imageAvailable: "true" });
    expect(server.requests[0].path).toBe("/search/collection");
    // Two objects resolve side by side, so only the set of requests is fixed, not their order.
    expect(
      server.requests
        .slice(1)
        .map((r) => r.path)
        .sort(),
    ).toEqual(["/id/200107928", "/id/200108369", "/id/200412345", "/id/202107928", "/id/202108369", "/id/5001079281", "/id/5001083691"]);
    for (const sent of server.requests) {
      expect(sent.headers.accept).toBe("application/ld+json");
      expect(sent.headers["user-agent"]).toBe(TEST_USER_AGENT);
    }

    // The third object shows no visual item: it is dropped with its reason.
    expect(page.dropped).toEqual([{ remoteId: `${origin}/id/200412345`, reason: "no visual item (neither shows nor representation)" }]);
    expect(page.items).toEqual([
      {
        remoteId: `${origin}/id/200107928`,
        mediaType: "image",
        mediaUrl: "https://iiif.micr.io/PJEZO/full/max/0/default.jpg",
        thumbnailUrl: "https://iiif.micr.io/PJEZO/full/400,/0/default.jpg",
        pageUrl: "https://www.rijksmuseum.nl/en/collection/SK-A-3262",
        title: "Self-portrait",
        author: "Vincent van Gogh",
        license: "Public Domain Mark 1.0",
        licenseUrl: "https://creativecommons.org/publicdomain/mark/1.0/",
      },
      // "representation" instead of "shows", single objects instead of arrays, rights by name only.
      {
        remoteId: `${origin}/id/200108369`,
        mediaType: "image",
        mediaUrl: "https://iiif.micr.io/AbCdE/full/max/0/default.jpg",
        thumbnailUrl: "https://iiif.micr.io/AbCdE/full/400,/0/default.jpg",
        pageUrl: "https://www.rijksmuseum.nl/en/collection/SK-A-4050",
        title: "Zelfportret als de apostel Paulus",
        author: undefined,
        license: "Publieke domein",
        licenseUrl: undefined,
      },
    ]);
    expect(page.nextCursor).toBe(`~${PAGE2_TOKEN}`);
  });

  it("follows the pageToken to the last page and resumes inside a page when the limit cuts it", async () => {
    const { source, server } = await rijksWith(rijksApi);
    const walked = await walkPages(source, searchRequest({ query: "zelfportret", limit: 1 }), server.context);
    const { cursors } = walked;
    const ids = walked.ids.map((id) => id.replace(server.origin, ""));
    // "~" is the first page (no token yet), ":<n>" the hits of it already handled.
    expect(cursors).toEqual(["~:1", "~:2", `~${PAGE2_TOKEN}`, null]);
    expect(ids).toEqual(["/id/200107928", "/id/200108369", "/id/200199001"]);
    // Each object is resolved once.
    expect(server.requests.filter((r) => r.path === "/id/200107928")).toHaveLength(1);
    expect(server.requests.filter((r) => r.path === "/search/collection").map((r) => r.params.get("pageToken"))).toEqual([
      null,
      null,
      null,
      PAGE2_TOKEN,
    ]);
  });

  it("finishes on a search without results and refuses bad cursors", async () => {
    const { source, server } = await rijksWith(rijksApi);
    await expectEmpty(source.search(searchRequest({ query: "qqqzzz", mediaTypes: "both" }), server.context));
    await expectSourceError(
      source.search(searchRequest({ query: "x", cursor: '{"skip":-1}' }), server.context),
      /^Rijksmuseum: invalid cursor /,
    );
  });

  it("reports malformed pages as SourceErrors naming the museum", async () => {
    const { source, server } = await rijksWith((request, origin) => {
      const title = request.params.get("title");
      if (title === "noitems") return { body: { type: "OrderedCollectionPage" } };
      if (title === "badnext") return { body: { orderedItems: [], next: { id: "not a url" } } };
      if (title === "brokenhop") return { body: { orderedItems: [{ id: `${origin}/id/999` }] } };
      if (request.path === "/id/999") return { body: { type: "HumanMadeObject", shows: [{ id: `${origin}/id/998` }] } };
      return rijksApi(request, origin);
    });
    const search = (query: string) => source.search(searchRequest({ query }), server.context);
    await expectSourceError(search("noitems"), /^Rijksmuseum: malformed response \(missing orderedItems\)$/);
    await expectSourceError(search("badnext"), /^Rijksmuseum: malformed response \(next\.id: /);
    await expectSourceError(search("brokenhop"), /^Rijksmuseum: malformed response \(missing id\)$/);
  });
});

// The object record is recorded from the resolver by kintopp/rijksmuseum-mcp-plus (provenance:
// tests/fixtures/sources/rijksmuseum-recorded-object-200117708.provenance.md); no recorded search
// page, VisualItem or DigitalObject was found, so those three answers are ours.
describe("Rijksmuseum adapter on a recorded Linked Art object (kintopp/rijksmuseum-mcp-plus)", () => {
  const OBJECT = "200117708";
  const VISUAL = "202117708";
  const DIGITAL = "500117708";
  const handWritten = (origin: string): Record<string, unknown> => ({
    [VISUAL]: { id: `${origin}/id/${VISUAL}`, type: "VisualItem", digitally_shown_by: [{ id: `${origin}/id/${DIGITAL}` }] },
    [DIGITAL]: {
      id: `${origin}/id/${DIGITAL}`,
      type: "DigitalObject",
      access_point: [{ id: "https://iiif.micr.io/TEST1/full/max/0/default.jpg" }],
    },
  });
  const recordedApi =
    (override: Record<string, FixtureReply | undefined> = {}): FixtureHandler =>
    ({ path }, origin) => {
      if (path === "/search/collection")
        return { body: { type: "OrderedCollectionPage", orderedItems: [{ id: `${origin}/id/${OBJECT}` }, ...extraHits(origin)] } };
      const id = /^\/id\/(\d+)$/.exec(path)?.[1];
      if (id === undefined) return undefined;
      if (id in override) return override[id];
      if (id === OBJECT) return { body: fixture("rijksmuseum-recorded-object-200117708.json", origin) };
      const found = handWritten(origin)[id] ?? fixture("rijksmuseum-records.json", origin)[id];
      return found ? { body: found } : undefined;
    };
  /** A second hit from the hand-written records, to show the page goes on after a dropped one. */
  const extraHits = (origin: string) => [{ id: `${origin}/id/200107928` }];

  it("takes the English title, the object number and the artist named by notation from the recorded record", async () => {
    const recorded = JSON.parse(fixtureText("rijksmuseum-recorded-object-200117708.json")) as { type: string };
    const { source, server } = await rijksWith(recordedApi());
    const page = await source.search(searchRequest({ query: "scribes", limit: 1 }), server.context);

    // 1 recorded record: 1 item, none dropped.
    expect(recorded.type).toBe("HumanMadeObject");
    expect(page.items).toHaveLength(1);
    expect(page.dropped).toBeUndefined();
    expect(page.items[0]).toEqual({
      remoteId: `${server.origin}/id/${OBJECT}`,
      mediaType: "image",
      mediaUrl: "https://iiif.micr.io/TEST1/full/max/0/default.jpg",
      thumbnailUrl: "https://iiif.micr.io/TEST1/full/400,/0/default.jpg",
      // The identifier classified as an accession number (AAT 300312355).
      pageUrl: "https://www.rijksmuseum.nl/en/collection/RP-T-1930-54(V)",
      // English over the Dutch "Drie schriftgeleerden onder een gordijn".
      title: "Three Scribes",
      // produced_by.part[0].carried_out_by[0] has no _label, only notation per language.
      author: "Rembrandt van Rijn",
      // The hand-written visual item states no rights; the recorded CC0 under subject_of covers the metadata only.
      license: undefined,
      licenseUrl: undefined,
    });
    expect(page.nextCursor).toBe("~:1");
    expect(server.requests.map((r) => r.path)).toEqual(["/search/collection", `/id/${OBJECT}`, `/id/${VISUAL}`, `/id/${DIGITAL}`]);
  });

  it("drops a hit whose visual item the resolver answers with 404 and keeps the page", async () => {
    const { source, server } = await rijksWith(recordedApi({ [VISUAL]: undefined }));
    const page = await source.search(searchRequest({ query: "scribes" }), server.context);
    expect(page.items.map((i) => i.remoteId)).toEqual([`${server.origin}/id/200107928`]);
    expect(page.dropped).toEqual([
      { remoteId: `${server.origin}/id/${OBJECT}`, reason: "the resolver does not know its visual item (404)" },
    ]);
    expect(page.nextCursor).toBeNull();
  });

  it("still fails the page when a hop fails with a 5xx (retried by the engine)", async () => {
    const { source, server } = await rijksWith(recordedApi({ [DIGITAL]: { status: 503, body: { error: "unavailable" } } }));
    const error = await expectSourceError(
      source.search(searchRequest({ query: "scribes" }), server.context),
      /^Rijksmuseum: HTTP 503 from /,
    );
    expect(error.retryable).toBe(true);
  });
});
