import { describe, expect, it } from "vitest";
import { createArtic } from "@/lib/sources/artic";
import { fixtureJson, TEST_USER_AGENT, type FixtureHandler } from "@/tests/support/source-test-server";
import { adapterPerTest, expectEmpty, expectRequest, expectSourceError, searchRequest, walkPages } from "@/tests/support/source-test-kit";

const NAME = "Art Institute of Chicago";

/** Answers like api.artic.edu: "monet" has two pages, anything else matches nothing. */
const articApi: FixtureHandler = ({ path, params }) => {
  if (path !== "/api/v1/artworks/search") return undefined;
  const q = params.get("q");
  if (q === "monet") return { body: fixtureJson(params.get("page") === "2" ? "artic-search-page2.json" : "artic-search-page1.json") };
  if (q === "deep")
    return {
      body: {
        ...fixtureJson<Record<string, unknown>>("artic-search-page1.json"),
        pagination: { total: 90000, limit: 50, offset: 0, total_pages: 1800, current_page: Number(params.get("page")) },
      },
    };
  return {
    body: {
      preference: null,
      pagination: { total: 0, limit: 50, offset: 0, total_pages: 0, current_page: 1 },
      data: [],
      info: { license_text: "", license_links: [], version: "1.13" },
      config: { iiif_url: "https://www.artic.edu/iiif/2", website_url: "http://www.artic.edu" },
    },
  };
};

const articWith = adapterPerTest((server) => createArtic({ id: "artic", name: NAME, apiUrl: `${server.origin}/api/v1/` }));

describe("Art Institute of Chicago adapter", () => {
  it("sends the documented search with the AIC-User-Agent header and builds IIIF image URLs", async () => {
    const { source, server } = await articWith(articApi);
    const page = await source.search(searchRequest({ query: "monet" }), server.context);

    const sent = expectRequest(server, {
      params: {
        q: "monet",
        page: "1",
        limit: "50",
        fields: "id,title,image_id,artist_display,is_public_domain",
      },
    });
    expect(sent.headers["aic-user-agent"]).toBe(TEST_USER_AGENT);

    // The artwork without an image_id is reported as dropped.
    expect(page.items.map((i) => i.remoteId)).toEqual(["16568", "16571", "87479"]);
    expect(page.dropped).toEqual([{ remoteId: "229510", reason: "no image (image_id is empty)" }]);
    expect(page.items[0]).toEqual({
      remoteId: "16568",
      mediaType: "image",
      mediaUrl: "https://www.artic.edu/iiif/2/3c27b499-af56-f0d5-93b5-a7f2f1ad5813/full/843,/0/default.jpg",
      thumbnailUrl: "https://www.artic.edu/iiif/2/3c27b499-af56-f0d5-93b5-a7f2f1ad5813/full/200,/0/default.jpg",
      pageUrl: "https://www.artic.edu/artworks/16568",
      title: "Water Lilies",
      author: "Claude Monet",
      license: "Public domain",
    });
    expect(page.items[2].license).toBeUndefined();
    expect(page.nextCursor).toBe("2");
  });

  it("pages to the last page and keeps null fields undefined", async () => {
    const { source, server } = await articWith(articApi);
    const last = await source.search(searchRequest({ query: "monet", cursor: "2" }), server.context);
    expect(server.requests[0].params.get("page")).toBe("2");
    expect(last.items.map((i) => i.title)).toEqual(["The Beach at Sainte-Adresse", undefined, "Stacks of Wheat (End of Summer)"]);
    expect(last.items[1].author).toBeUndefined();
    expect(last.nextCursor).toBeNull();
  });

  it("stops at the limit and resumes inside the page without losing artworks", async () => {
    const { source, server } = await articWith(articApi);
    const { ids, cursors } = await walkPages(source, searchRequest({ query: "monet", limit: 2 }), server.context);
    expect(cursors).toEqual(["1:2", "2", "2:2", null]);
    expect(ids).toEqual(["16568", "16571", "87479", "14598", "81558", "16564"]);
  });

  it("never pages past the first 10,000 results", async () => {
    const { source, server } = await articWith(articApi);
    const nearEnd = await source.search(searchRequest({ query: "deep", cursor: "199" }), server.context);
    expect(nearEnd.nextCursor).toBe("200");
    const lastPage = await source.search(searchRequest({ query: "deep", cursor: "200" }), server.context);
    expect(lastPage.nextCursor).toBeNull();
    await expectSourceError(
      source.search(searchRequest({ query: "deep", cursor: "201" }), server.context),
      /^Art Institute of Chicago: invalid cursor "201"$/,
    );
    expect(server.requests).toHaveLength(2);
  });

  it("returns the images for a job that asks for both and finishes on a search without results", async () => {
    const { source, server } = await articWith(articApi);
    expect((await source.search(searchRequest({ query: "monet", mediaTypes: "both" }), server.context)).items).toHaveLength(3);
    await expectEmpty(source.search(searchRequest({ query: "qqqzzz" }), server.context));
    await expectSourceError(
      source.search(searchRequest({ query: "  " }), server.context),
      /^Art Institute of Chicago: a search query is required$/,
    );
  });

  it("reports malformed pages as SourceErrors naming the museum", async () => {
    const broken = fixtureJson<{ config?: unknown; data: Record<string, unknown>[] }>("artic-search-page1.json");
    delete broken.config;
    const noId = fixtureJson<{ data: Record<string, unknown>[] }>("artic-search-page1.json");
    delete noId.data[1].id;
    const { source, server } = await articWith((request, origin) => {
      const q = request.params.get("q");
      if (q === "noconfig") return { body: broken };
      if (q === "noid") return { body: noId };
      return articApi(request, origin);
    });
    const search = (query: string) => source.search(searchRequest({ query }), server.context);
    await expectSourceError(search("noconfig"), /^Art Institute of Chicago: malformed response \(missing config\)$/);
    // One record without an id is dropped with its reason; the rest of the page is kept.
    const partial = await search("noid");
    expect(partial.items.map((i) => i.remoteId)).toEqual(["16568", "87479"]);
    expect(partial.dropped?.[0]).toEqual({ remoteId: undefined, reason: "a malformed record (missing id)" });
  });

  it("maps a search response recorded by another project's tests: 10 records without image_id, 10 dropped", async () => {
    const recorded = fixtureJson<{ data: { id: number }[] }>("artic-recorded-search.json");
    const { source, server } = await articWith(() => ({ body: recorded }));
    const page = await source.search(searchRequest({ query: "recorded" }), server.context);

    // Recorded without `fields`, so its records carry no image_id (only id, title, thumbnail, ...):
    // 10 records, 0 items, 10 dropped, each with its reason. Trawl always sends `fields`.
    expect(recorded.data).toHaveLength(10);
    expect(page.items).toEqual([]);
    expect(page.dropped).toEqual(recorded.data.map((r) => ({ remoteId: String(r.id), reason: "no image (image_id is empty)" })));
    expect(page.nextCursor).toBe("2");
  });
});
