import { describe, expect, it } from "vitest";
import { expectFailuresReported, failureReply } from "@/tests/support/museum-test-support";
import { createRijksmuseum } from "@/lib/sources/rijksmuseum";
import { fixtureText, TEST_USER_AGENT, type FixtureHandler } from "@/tests/support/source-test-server";
import { adapterPerTest, expectSourceError, searchRequest } from "@/tests/support/source-test-kit";
import type { SourceAdapter } from "@/lib/sources/types";

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
  if (title === "gone") return undefined;
  return (
    failureReply(title) ?? {
      body: {
        "@context": "https://linked.art/ns/v1/search.json",
        type: "OrderedCollectionPage",
        partOf: { totalItems: 0 },
        orderedItems: [],
      },
    }
  );
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

    // The third object shows no visual item and is skipped.
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
    expect(JSON.parse(page.nextCursor ?? "null")).toEqual({ pageToken: PAGE2_TOKEN, skip: 0 });
  });

  it("follows the pageToken to the last page and resumes inside a page when the limit cuts it", async () => {
    const { source, server } = await rijksWith(rijksApi);
    const ids: string[] = [];
    const cursors: unknown[] = [];
    let cursor: string | null = null;
    do {
      const page: Awaited<ReturnType<SourceAdapter["search"]>> = await source.search(
        searchRequest({ query: "zelfportret", limit: 1, cursor }),
        server.context,
      );
      expect(page.items.length).toBeLessThanOrEqual(1);
      ids.push(...page.items.map((i) => i.remoteId.replace(server.origin, "")));
      cursor = page.nextCursor;
      cursors.push(cursor === null ? null : JSON.parse(cursor));
    } while (cursor !== null);
    expect(cursors).toEqual([{ pageToken: null, skip: 1 }, { pageToken: null, skip: 2 }, { pageToken: PAGE2_TOKEN, skip: 0 }, null]);
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

  it("asks nothing for a videos-only job, finishes on a search without results and refuses bad cursors", async () => {
    const { source, server } = await rijksWith(rijksApi);
    expect(await source.search(searchRequest({ query: "zelfportret", mediaTypes: "videos" }), server.context)).toEqual({
      items: [],
      nextCursor: null,
    });
    expect(server.requests).toHaveLength(0);
    expect(await source.search(searchRequest({ query: "qqqzzz", mediaTypes: "both" }), server.context)).toEqual({
      items: [],
      nextCursor: null,
    });
    await expectSourceError(
      source.search(searchRequest({ query: "x", cursor: '{"skip":-1}' }), server.context),
      /^Rijksmuseum: invalid cursor /,
    );
  });

  it("reports HTTP failures, malformed JSON and missing fields as SourceErrors naming the museum", async () => {
    const { source, server } = await rijksWith((request, origin) => {
      const title = request.params.get("title");
      if (title === "noitems") return { body: { type: "OrderedCollectionPage" } };
      if (title === "badnext") return { body: { orderedItems: [], next: { id: "not a url" } } };
      if (title === "brokenhop") return { body: { orderedItems: [{ id: `${origin}/id/999` }] } };
      if (request.path === "/id/999") return { body: { type: "HumanMadeObject", shows: [{ id: `${origin}/id/998` }] } };
      return rijksApi(request, origin);
    });
    const search = (query: string) => source.search(searchRequest({ query }), server.context);
    await expectFailuresReported(NAME, search, { keyed: false });
    await expectSourceError(search("noitems"), /^Rijksmuseum: malformed response \(missing orderedItems\)$/);
    await expectSourceError(search("badnext"), /^Rijksmuseum: malformed response \(next\.id: /);
    await expectSourceError(search("brokenhop"), /^Rijksmuseum: malformed response \(missing id\)$/);
  });
});
