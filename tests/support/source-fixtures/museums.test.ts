import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sourceSettingSuffix } from "@/lib/config";
import { museumSources } from "@/lib/sources/catalog/museums";
import { startSourceTestServer, type SourceTestServer } from "@/lib/sources/source-test-server";
import { e2eResponders } from "./museums";

// Runs each e2e responder through the real catalog entry, the way the e2e wires them:
// TRAWL_URL_<ENTRY> = <api origin>/<entry id>, the responder sees the path after that prefix,
// and key-gated entries get a key.

const RANGES: Record<string, number> = {
  "nasa-images": 4100,
  "met-museum": 4200,
  "cleveland-museum": 4300,
  "loc-photos": 4400,
  inaturalist: 4500,
  gbif: 4600,
  europeana: 4700,
  dpla: 4800,
  smithsonian: 4900,
  rijksmuseum: 5000,
};

let server: SourceTestServer;
const savedEnv = { ...process.env };

beforeAll(async () => {
  server = await startSourceTestServer(({ path, params }, origin) => {
    const [, entry, ...rest] = path.split("/");
    return e2eResponders[entry]?.({ path: `/${rest.join("/")}`, params }, { api: origin, media: origin });
  });
  for (const id of Object.keys(e2eResponders)) process.env[`TRAWL_URL_${sourceSettingSuffix(id)}`] = `${server.origin}/${id}`;
});

afterAll(async () => {
  process.env = savedEnv;
  await server.close();
});

describe("museum e2e responders", () => {
  it("cover at least four entries, each with its own image range", () => {
    expect(Object.keys(e2eResponders).sort()).toEqual(Object.keys(RANGES).sort());
    for (const id of Object.keys(e2eResponders)) expect(museumSources.some((s) => s.id === id)).toBe(true);
  });

  for (const [id, start] of Object.entries(RANGES)) {
    it(`${id}: the real adapter finds the responder's three images`, async () => {
      const source = museumSources.find((s) => s.id === id);
      if (!source) throw new Error(`no catalog entry ${id}`);
      const page = await source.search(
        { query: "aurora", targetUrls: [], mediaTypes: "images", safeSearch: true, limit: 3, cursor: null },
        { ...server.context, key: source.key ? "e2e-test-key" : undefined },
      );
      expect(page.items.map((item) => [item.mediaType, item.mediaUrl])).toEqual(
        [start, start + 1, start + 2].map((n) => ["image", `${server.origin}/media/image-${n}.png`]),
      );
      expect(page.nextCursor).toBeNull();
      expect(server.requests.at(-1)?.path.startsWith(`/${id}/`)).toBe(true);
    });
  }
});
