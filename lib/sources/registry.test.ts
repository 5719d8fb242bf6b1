import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { describeSources, getSource, isSourceId, sourceIds, sourceName, sources } from "@/lib/sources/registry";
import { fixtureJson, startSourceTestServer, type SourceTestServer } from "@/tests/support/source-test-server";
import { requestWith } from "@/tests/support/source-test-kit";

// The registry reads API base URLs from config() when a search runs, so pointing the
// environment at a fixture server before the first search is enough.
let server: SourceTestServer;
const savedEnv = { ...process.env };
beforeAll(async () => {
  server = await startSourceTestServer(({ path }) => {
    if (path === "/w/api.php") return { body: fixtureJson("commons-video.json") };
    if (path === "/ov/v1/images/") return { body: fixtureJson("openverse-images-page2.json") };
    return undefined;
  });
  process.env.TRAWL_URL_WIKIMEDIA_COMMONS = `${server.origin}/w/api.php`;
  process.env.TRAWL_URL_OPENVERSE = `${server.origin}/ov/v1/`;
});
afterAll(async () => {
  process.env = savedEnv;
  await server.close();
});

describe("source registry", () => {
  it("lists every entry once, with a unique id", () => {
    expect(sources.map((s) => s.id)).toEqual([...sourceIds]);
    expect(new Set(sourceIds).size).toBe(sourceIds.length);
    for (const id of sourceIds) expect(getSource(id).id).toBe(id);
  });

  it("recognises known ids and refuses unknown ones", () => {
    expect(isSourceId("openverse")).toBe(true);
    expect(isSourceId("no-such-source")).toBe(false);
    expect(sourceName("wikimedia-commons")).toBe("Wikimedia Commons");
    expect(sourceName("retired-source")).toBe("retired-source");
    expect(() => getSource("no-such-source")).toThrow('Unknown source "no-such-source"');
  });

  it("describes the sources as plain JSON for the API", () => {
    const described = describeSources();
    expect(JSON.parse(JSON.stringify(described))).toEqual(described);
    expect(described.find((s) => s.id === "openverse")).toEqual({
      id: "openverse",
      name: "Openverse",
      description: expect.any(String),
      homepage: "https://openverse.org/",
      category: "stock",
      adapter: "openverse",
      mediaTypes: ["image"],
      input: "query",
      safeSearch: true,
      politeness: { requestsPerSecond: 1, concurrency: 1 },
      key: null,
    });
    expect(described.slice(0, 4).map((s) => [s.id, s.input, s.safeSearch])).toEqual([
      ["web-page", "urls", false],
      ["direct-links", "urls", false],
      ["wikimedia-commons", "query", false],
      ["openverse", "query", true],
    ]);
    for (const s of described) expect(s.politeness.requestsPerSecond).toBeGreaterThan(0);
  });

  it("builds the API adapters from config() at search time", async () => {
    const request = requestWith({ query: "fox", limit: 10 });
    const commons = await getSource("wikimedia-commons").search(request({ mediaTypes: "videos" }), server.context);
    const openverse = await getSource("openverse").search(request({ mediaTypes: "images" }), server.context);
    expect(commons.items).toHaveLength(2);
    expect(openverse.items).toHaveLength(3);
    expect(server.requests.map((r) => r.path)).toEqual(["/w/api.php", "/ov/v1/images/"]);
  });
});
