import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sourceSettingSuffix } from "@/lib/config";
import { getSource } from "@/lib/sources/registry";
import { startSourceTestServer, type SourceTestServer } from "@/tests/support/source-test-server";
import { searchRequest } from "@/tests/support/source-test-kit";
import { e2eImageRanges, e2eResponders } from ".";

// Runs each e2e responder through the real catalog entry, the way the e2e wires them:
// TRAWL_URL_<ENTRY> = <api origin>/<entry id>, the responder sees the path after that prefix,
// and key-gated entries get a made-up key.

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

describe("e2e responders", () => {
  it("cover at least ten catalog entries, each with its own image range", () => {
    expect(Object.keys(e2eResponders).sort()).toEqual(Object.keys(e2eImageRanges).sort());
    expect(Object.keys(e2eResponders).length).toBeGreaterThanOrEqual(10);
  });

  for (const [id, start] of Object.entries(e2eImageRanges)) {
    it(`${id}: the real adapter finds the responder's three images`, async () => {
      const source = getSource(id);
      const context = { ...server.context, key: source.key ? "e2e-test-key" : undefined };
      const search = (cursor: string | null) => source.search(searchRequest({ limit: 3, cursor }), context);

      const page = await search(null);
      expect(page.items.map((item) => [item.mediaType, item.mediaUrl])).toEqual(
        [start, start + 1, start + 2].map((n) => ["image", `${server.origin}/media/image-${n}.png`]),
      );
      // MediaWiki's base URL is the api.php endpoint itself, so its requests go to "/<id>" exactly.
      expect(server.requests.at(-1)?.path).toMatch(new RegExp(`^/${id}(/|$)`));
      // Some APIs report no totals and only learn the search is over from an empty page.
      const rest = page.nextCursor === null ? null : await search(page.nextCursor);
      expect(rest === null || (rest.items.length === 0 && rest.nextCursor === null)).toBe(true);
    });
  }
});
