import { describe, expect, it } from "vitest";
import { createCleveland } from "@/lib/sources/cleveland";
import { fixtureJson, type FixtureHandler } from "@/tests/support/source-test-server";
import { adapterPerTest, expectEmpty, expectRequest, expectSourceError, searchRequest, walkPages } from "@/tests/support/source-test-kit";

const NAME = "Cleveland Museum of Art";

/** Answers like openaccess-api.clevelandart.org: "water lilies" has 6 artworks over skip 0 and 4. */
const clevelandApi: FixtureHandler = ({ path, params }) => {
  if (path !== "/api/artworks/") return undefined;
  const q = params.get("q");
  if (q === "water lilies")
    return { body: fixtureJson(params.get("skip") === "4" ? "cleveland-artworks-page2.json" : "cleveland-artworks-page1.json") };
  return { body: { info: { total: 0, parameters: {} }, data: [] } };
};

const clevelandWith = adapterPerTest((server) => createCleveland({ id: "cleveland-museum", name: NAME, apiUrl: `${server.origin}/api` }));

describe("Cleveland Museum of Art adapter", () => {
  it("asks for artworks with images and normalizes them, preferring the print rendition", async () => {
    const { source, server } = await clevelandWith(clevelandApi);
    const page = await source.search(searchRequest({ query: "water lilies" }), server.context);

    expectRequest(server, { params: { q: "water lilies", has_image: "1", limit: "50", skip: "0" } });

    // The artwork with an empty images object is skipped.
    expect(page.items.map((i) => i.remoteId)).toEqual(["136510", "135382", "94979"]);
    expect(page.items[0]).toEqual({
      remoteId: "136510",
      mediaType: "image",
      mediaUrl: "https://openaccess-cdn.clevelandart.org/1960.81/1960.81_print.jpg",
      thumbnailUrl: "https://openaccess-cdn.clevelandart.org/1960.81/1960.81_web.jpg",
      pageUrl: "https://clevelandart.org/art/1960.81",
      title: "Water Lilies (Agapanthus)",
      author: "Claude Monet",
      license: "CC0 1.0",
      licenseUrl: "https://creativecommons.org/publicdomain/zero/1.0/",
    });
    expect(page.items[1].mediaUrl).toBe("https://openaccess-cdn.clevelandart.org/1958.39/1958.39_web.jpg");
    expect(page.items[2].author).toBeUndefined();
    expect(page.nextCursor).toBe("4");
  });

  it("continues at the next skip offset, stops at the total, and keeps other rights statuses", async () => {
    const { source, server } = await clevelandWith(clevelandApi);
    const last = await source.search(searchRequest({ query: "water lilies", cursor: "4" }), server.context);
    expect(server.requests[0].params.get("skip")).toBe("4");
    expect(last.items.map((i) => [i.title, i.author, i.license, i.licenseUrl])).toEqual([
      ["Water Garden", "Lilla Cabot Perry", "CC0 1.0", "https://creativecommons.org/publicdomain/zero/1.0/"],
      ["Lilies at Dusk", "Unknown maker", "Copyrighted", undefined],
    ]);
    expect(last.nextCursor).toBeNull();
  });

  it("stops at the limit and resumes inside the page without losing artworks", async () => {
    const { source, server } = await clevelandWith(clevelandApi);
    const { ids, cursors } = await walkPages(source, searchRequest({ query: "water lilies", limit: 2 }), server.context);
    expect(cursors).toEqual(["0:2", "4", null]);
    expect(ids).toEqual(["136510", "135382", "94979", "129540", "171220"]);
  });

  it("finishes on a search without results and refuses a cursor it did not issue", async () => {
    const { source, server } = await clevelandWith(clevelandApi);
    await expectEmpty(source.search(searchRequest({ query: "qqqzzz", mediaTypes: "both" }), server.context));
    await expectSourceError(
      source.search(searchRequest({ query: "x", cursor: "abc" }), server.context),
      /^Cleveland Museum of Art: invalid cursor "abc"$/,
    );
  });

  it("reports malformed pages as SourceErrors naming the museum", async () => {
    const noTotal = fixtureJson<{ info: Record<string, unknown> }>("cleveland-artworks-page1.json");
    delete noTotal.info.total;
    const { source, server } = await clevelandWith((request, origin) => {
      const q = request.params.get("q");
      if (q === "nototal") return { body: noTotal };
      return clevelandApi(request, origin);
    });
    const search = (query: string) => source.search(searchRequest({ query }), server.context);
    await expectSourceError(search("nototal"), /^Cleveland Museum of Art: malformed response \(missing info\.total\)$/);
  });

  it("drops one malformed artwork with its reason and keeps the rest of the page", async () => {
    const badImage = fixtureJson<{ data: { images: { web: Record<string, unknown> } }[] }>("cleveland-artworks-page1.json");
    delete badImage.data[1].images.web.url;
    const { source, server } = await clevelandWith(() => ({ body: badImage }));
    const page = await source.search(searchRequest({ query: "badimage" }), server.context);
    expect(page.items.map((i) => i.remoteId)).toEqual(["136510", "94979"]);
    expect(page.dropped).toEqual([
      { remoteId: "135382", reason: "a malformed record (missing images.web.url)" },
      { remoteId: "160032", reason: "no image rendition (web, print or full)" },
    ]);
  });

  it("maps a response recorded by Openverse's Cleveland provider tests: print JPEG, not the full TIFF", async () => {
    const recorded = fixtureJson<{ data: unknown[]; info: { total: number } }>("cleveland-recorded-artworks.json");
    const { source, server } = await clevelandWith(() => ({ body: recorded }));
    const page = await source.search(searchRequest({ query: "anything" }), server.context);

    // 1 record in the response (limit=1, skip=30000 of 32483): 1 item, none dropped.
    expect(recorded.data).toHaveLength(1);
    expect(page.items).toHaveLength(1);
    expect(page.dropped).toBeUndefined();
    expect(page.items[0]).toEqual({
      remoteId: "96887",
      mediaType: "image",
      // Offered: web 641x900 JPEG, print 2422x3400 JPEG (1.2 MB), full 3091x4339 TIFF (40 MB); print is the documented choice.
      mediaUrl: "https://openaccess-cdn.clevelandart.org/1916.586.a/1916.586.a_print.jpg",
      thumbnailUrl: "https://openaccess-cdn.clevelandart.org/1916.586.a/1916.586.a_web.jpg",
      pageUrl: "https://clevelandart.org/art/1916.586.a",
      title: "Scent Bottle",
      // creators is [] in the record: no author.
      author: undefined,
      license: "CC0 1.0",
      licenseUrl: "https://creativecommons.org/publicdomain/zero/1.0/",
    });
    expect(page.nextCursor).toBe("1");
  });
});
