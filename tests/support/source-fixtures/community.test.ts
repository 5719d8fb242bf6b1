import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sourceSettingSuffix } from "@/lib/config";
import { communitySources } from "@/lib/sources/catalog/community";
import { startSourceTestServer, type SourceTestServer } from "@/lib/sources/source-test-server";
import { e2eResponders } from "./community";

// Runs each e2e responder through the real catalog entry, the way the e2e wires them:
// TRAWL_URL_<ENTRY> = <api origin>/<entry id>, and the responder sees the path after that prefix.

const RANGES: Record<string, number> = {
  danbooru: 1100,
  safebooru: 1200,
  e621: 1300,
  "yande-re": 1400,
  "mastodon-social": 1500,
  reddit: 1600,
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

describe("community e2e responders", () => {
  it("cover at least four entries, each with its own image range", () => {
    expect(Object.keys(e2eResponders).sort()).toEqual(Object.keys(RANGES).sort());
    for (const id of Object.keys(e2eResponders)) expect(communitySources.some((s) => s.id === id)).toBe(true);
  });

  for (const [id, start] of Object.entries(RANGES)) {
    it(`${id}: the real adapter finds the responder's three images`, async () => {
      const source = communitySources.find((s) => s.id === id);
      if (!source) throw new Error(`no catalog entry ${id}`);
      const page = await source.search(
        { query: "aurora", targetUrls: [], mediaTypes: "images", safeSearch: true, limit: 3, cursor: null },
        server.context,
      );
      expect(page.items.map((item) => [item.mediaType, item.mediaUrl])).toEqual(
        [start, start + 1, start + 2].map((n) => ["image", `${server.origin}/media/image-${n}.png`]),
      );
      expect(page.nextCursor).toBeNull();
      expect(server.requests.at(-1)?.path.startsWith(`/${id}/`)).toBe(true);
    });
  }
});
