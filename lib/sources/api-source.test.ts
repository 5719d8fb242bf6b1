import { describe, expect, it } from "vitest";
import { z } from "zod";
import { defineApiSource, drop, type ApiSourceSpec, type SourceEntry } from "@/lib/sources/api-source";
import { RecordGone } from "@/lib/sources/source-client";
import type { SourceAdapter } from "@/lib/sources/types";
import { expectSourceError, requestWith, serverPerTest, walkPages } from "@/tests/support/source-test-kit";
import type { FixtureHandler, SourceTestServer } from "@/tests/support/source-test-server";

// The family base on a small made-up API served by a real local server: /search?q=&page= answers
// { rows: [...], more: bool }; a row is { id, kind, file?, gallery? }; /detail/<id> answers { file }.

const entry: SourceEntry = {
  id: "example",
  adapter: "example",
  name: "Example",
  description: "A test API.",
  homepage: "https://example.test/",
  category: "stock",
  mediaTypes: ["image", "video"],
  input: "query",
  safeSearch: false,
  politeness: { requestsPerSecond: 100, concurrency: 4 },
};

const rowSchema = z.object({
  id: z.number(),
  kind: z.enum(["image", "video"]),
  file: z.string().optional(),
  gallery: z.array(z.string()).optional(),
  detail: z.boolean().optional(),
});
const pageSchema = z.object({ rows: z.array(z.unknown()), more: z.boolean() });
const detailSchema = z.object({ file: z.string().nullable() });

type Row = z.infer<typeof rowSchema>;

/** The example source; overrides replace parts of its spec (a test of token paging replaces the page type too). */
function exampleSource(server: SourceTestServer, overrides: object = {}): SourceAdapter {
  const spec: ApiSourceSpec<number, Row, string> = {
    entry,
    apiUrl: `${server.origin}/api/`,
    query: "text",
    firstPage: 1,
    maxPage: 5,
    async fetchPage({ client, query, page }) {
      const body = client.parse(pageSchema, await client.json(client.url("/search", { q: query, page })));
      return { records: body.rows, next: body.more ? page + 1 : null, shared: "shared-value" };
    },
    record: rowSchema,
    async toItems(row, { client, shared }) {
      const id = String(row.id);
      expect(shared).toBe("shared-value");
      if (row.gallery) return row.gallery.map((file, i) => ({ remoteId: `${id}-${i}`, mediaType: row.kind, mediaUrl: file }));
      let file = row.file;
      if (row.detail) {
        const detail = client.parse(detailSchema, await client.json(client.url(`/detail/${id}`), { gone: "no detail record" }));
        if (detail.file === null) throw new RecordGone("an empty detail record");
        file = detail.file;
      }
      if (!file) return drop(id, "no file");
      return { remoteId: id, mediaType: row.kind, mediaUrl: file };
    },
  };
  return defineApiSource({ ...spec, ...overrides } as ApiSourceSpec<number, Row, string>);
}

const request = requestWith({ query: "aurora", mediaTypes: "both" });
const start = serverPerTest();

/** Pages of `perPage` rows (ids page*100+i); every fourth row has no file; `pages` pages in all. */
function pagedApi(pages: number, perPage: number): FixtureHandler {
  return ({ path, params }) => {
    if (path !== "/api/search") return undefined;
    const page = Number(params.get("page"));
    const rows =
      page <= pages
        ? Array.from({ length: perPage }, (_, i) => ({
            id: page * 100 + i,
            kind: "image",
            ...(i % 4 === 3 ? {} : { file: `https://cdn.example.test/${page}-${i}.jpg` }),
          }))
        : [];
    return { body: { rows, more: page < pages } };
  };
}

describe("the family base (defineApiSource)", () => {
  it("keeps the catalog entry and builds requests on the configured base URL", async () => {
    const server = await start(pagedApi(1, 2));
    const source = exampleSource(server);
    expect({ ...source, search: undefined }).toEqual({ ...entry, search: undefined });
    await source.search(request(), server.context);
    expect(server.requests.map((r) => `${r.path}?${r.params}`)).toEqual(["/api/search?q=aurora&page=1"]);
  });

  it("walks every page once: the skip counts records handled, each drop is reported by the call that reached it", async () => {
    const server = await start(pagedApi(3, 8));
    const source = exampleSource(server);
    const { ids, cursors, dropped } = await walkPages(source, request({ limit: 4 }), server.context);
    const drops = dropped.flat().map((d) => `${d.remoteId}: ${d.reason}`);
    // 8 rows a page, 6 with a file: 4 items need 5 rows, the other 2 the last 3
    expect(cursors).toEqual(["1:5", "2", "2:5", "3", "3:5", null]);
    expect(ids).toHaveLength(18);
    expect(new Set(ids).size).toBe(18);
    expect(drops).toEqual(["103: no file", "107: no file", "203: no file", "207: no file", "303: no file", "307: no file"]);
  });

  it("drops a record that fails its schema with the reason and its id, and keeps the rest of the page", async () => {
    const server = await start(() => ({
      body: {
        rows: [{ id: 1, kind: "image", file: "https://cdn.example.test/1.jpg" }, { id: 2, kind: "gif" }, { kind: "image" }],
        more: false,
      },
    }));
    const page = await exampleSource(server).search(request(), server.context);
    expect(page.items.map((i) => i.remoteId)).toEqual(["1"]);
    expect(page.dropped).toEqual([
      { remoteId: "2", reason: expect.stringMatching(/^a malformed record \(kind: /) },
      { remoteId: undefined, reason: "a malformed record (missing id)" },
    ]);
    expect(page.nextCursor).toBeNull();
  });

  it("fails the page, naming the source, when the page itself is malformed", async () => {
    const server = await start(() => ({ body: { results: [] } }));
    await expectSourceError(exampleSource(server).search(request(), server.context), /^Example: malformed response \(missing rows\)$/);
  });

  it("drops only the record whose detail answers 404 or is empty; a detail that fails otherwise fails the page", async () => {
    const detailApi: FixtureHandler = ({ path }) => {
      if (path === "/api/search") return { body: { rows: [1, 2, 3, 4].map((id) => ({ id, kind: "image", detail: true })), more: false } };
      if (path === "/api/detail/1") return { body: { file: "https://cdn.example.test/1.jpg" } };
      if (path === "/api/detail/3") return { body: { file: null } };
      if (path === "/api/detail/4") return { body: { file: "https://cdn.example.test/4.jpg" } };
      return undefined;
    };
    const server = await start(detailApi);
    const page = await exampleSource(server).search(request(), server.context);
    expect(page.items.map((i) => i.remoteId)).toEqual(["1", "4"]);
    expect(page.dropped).toEqual([
      { remoteId: "2", reason: "no detail record (404)" },
      { remoteId: "3", reason: "an empty detail record" },
    ]);

    const failing = await start((req) => (req.path === "/api/detail/2" ? { status: 503, body: {} } : detailApi(req, "")));
    const error = await expectSourceError(exampleSource(failing).search(request(), failing.context), /^Example: HTTP 503 from /);
    expect(error.retryable).toBe(true);
  });

  it("resolves only as many records as the limit needs when records cost a detail request", async () => {
    const server = await start(({ path }) => {
      if (path === "/api/search")
        return { body: { rows: Array.from({ length: 20 }, (_, id) => ({ id, kind: "image", detail: true })), more: false } };
      return { body: { file: `https://cdn.example.test${path}.jpg` } };
    });
    const source = exampleSource(server, { recordConcurrency: 4 });
    const first = await source.search(request({ limit: 6 }), server.context);
    expect(first.items.map((i) => i.remoteId)).toEqual(["0", "1", "2", "3", "4", "5"]);
    expect(first.nextCursor).toBe("1:6");
    expect(server.requests.filter((r) => r.path.startsWith("/api/detail/"))).toHaveLength(6);
    const second = await source.search(request({ limit: 100, cursor: first.nextCursor }), server.context);
    expect(second.items).toHaveLength(14);
    expect(second.nextCursor).toBeNull();
  });

  it("hands a gallery back whole, so no file of it is lost to the limit", async () => {
    const gallery = ["a", "b", "c"].map((name) => `https://cdn.example.test/${name}.jpg`);
    const server = await start(() => ({
      body: {
        rows: [
          { id: 1, kind: "image", gallery },
          { id: 2, kind: "image", file: "https://cdn.example.test/2.jpg" },
        ],
        more: false,
      },
    }));
    const page = await exampleSource(server).search(request({ limit: 2 }), server.context);
    expect(page.items.map((i) => i.remoteId)).toEqual(["1-0", "1-1", "1-2"]);
    expect(page.nextCursor).toBe("1:1");
  });

  it("drops items of a type the job did not ask for, and asks nothing of a source that has none of the wanted type", async () => {
    const server = await start(() => ({
      body: {
        rows: [
          { id: 1, kind: "image", file: "https://cdn.example.test/1.jpg" },
          { id: 2, kind: "video", file: "https://cdn.example.test/2.mp4" },
        ],
        more: false,
      },
    }));
    const images = await exampleSource(server).search(request({ mediaTypes: "images" }), server.context);
    expect(images.items.map((i) => i.remoteId)).toEqual(["1"]);
    expect(images.dropped).toEqual([{ remoteId: "2", reason: "a video (the job asks for images only)" }]);

    const imagesOnly = exampleSource(server, { entry: { ...entry, mediaTypes: ["image"] } });
    expect(await imagesOnly.search(request({ mediaTypes: "videos" }), server.context)).toEqual({ items: [], nextCursor: null });
    expect(server.requests).toHaveLength(1);
  });

  it("checks the query, the key, the cursor and the limit before any request", async () => {
    const server = await start(pagedApi(1, 2));
    const source = exampleSource(server);
    await expectSourceError(source.search(request({ query: "  " }), server.context), /^Example: a search query is required$/);
    const tagged = exampleSource(server, { query: "tags" });
    await expectSourceError(tagged.search(request({ query: " " }), server.context), /^Example: a search query \(tags\) is required$/);
    await expectSourceError(source.search(request({ cursor: "6" }), server.context), /^Example: invalid cursor "6"$/);
    await expectSourceError(source.search(request({ cursor: "~abc" }), server.context), /^Example: invalid cursor "~abc"$/);
    const keyed = exampleSource(server, { entry: { ...entry, key: { label: "Example key", help: "Ask." } } });
    const noKey = await expectSourceError(keyed.search(request(), server.context), /^Example: no API key configured$/);
    expect(noKey.retryable).toBe(false);
    expect(await source.search(request({ limit: 0, cursor: "2:3" }), server.context)).toEqual({ items: [], nextCursor: "2:3" });
    expect(server.requests).toHaveLength(0);
  });

  it("names a refused key as such for key-gated sources", async () => {
    const server = await start(() => ({ status: 403, body: { error: "bad key" } }));
    const keyed = exampleSource(server, { entry: { ...entry, key: { label: "Example key", help: "Ask." } } });
    const error = await expectSourceError(keyed.search(request(), { ...server.context, key: "k" }), /^Example: API key rejected \(403\)$/);
    expect(error.retryable).toBe(false);
  });

  it("stops at the last page the API serves and after an empty page, and walks phases in order", async () => {
    const endless = await start(({ params }) => ({
      body: { rows: [{ id: Number(params.get("page")), kind: "image", file: "https://cdn.example.test/x.jpg" }], more: true },
    }));
    const capped = await exampleSource(endless).search(request({ cursor: "5" }), endless.context);
    expect(capped.nextCursor).toBeNull();

    const empty = await start(() => ({ body: { rows: [], more: true } }));
    expect((await exampleSource(empty).search(request(), empty.context)).nextCursor).toBeNull();

    const phased = await start(({ params }) => ({
      body: {
        rows: [
          { id: Number(params.get("page")), kind: params.get("q") === "photos" ? "image" : "video", file: "https://cdn.example.test/x" },
        ],
        more: params.get("page") === "1",
      },
    }));
    const source = exampleSource(phased, {
      phases: () => ["photos", "videos"],
      async fetchPage({
        client,
        phase,
        page,
      }: {
        client: import("@/lib/sources/source-client").SourceClient;
        phase: string;
        page: number;
      }) {
        const body = client.parse(pageSchema, await client.json(client.url("/search", { q: phase, page })));
        return { records: body.rows, next: body.more ? page + 1 : null, shared: "shared-value" };
      },
    });
    const { cursors } = await walkPages(source, request(), phased.context);
    expect(cursors).toEqual(["photos:2", "videos:1", "videos:2", null]);
    await expectSourceError(source.search(request({ cursor: "gifs:1" }), phased.context), /invalid cursor "gifs:1"/);
  });

  it("pages by the API's own tokens, written so that any token survives the round trip", async () => {
    const tokens = ["", "AoE/x+y==", "last"];
    const server = await start(({ params }) => {
      const at = tokens.indexOf(params.get("after") ?? "");
      return { body: { rows: [{ id: at, kind: "image", file: "https://cdn.example.test/t.jpg" }], next: tokens[at + 1] ?? null } };
    });
    const source = exampleSource(server, {
      firstPage: "",
      maxPage: undefined,
      async fetchPage({ client, page }: { client: import("@/lib/sources/source-client").SourceClient; page: string }) {
        const body = client.parse(
          z.object({ rows: z.array(z.unknown()), next: z.string().nullable() }),
          await client.json(client.url("/search", { after: page || undefined })),
        );
        return { records: body.rows, next: body.next, shared: "shared-value" };
      },
    });
    const { cursors } = await walkPages(source, request(), server.context);
    expect(cursors).toEqual(["~AoE%2Fx%2By%3D%3D", "~last", null]);
    expect(server.requests.map((r) => r.params.get("after"))).toEqual([null, "AoE/x+y==", "last"]);
  });
});
