import { describe, expect, it } from "vitest";
import { stockAndGenericSources } from "@/lib/sources/catalog/stock-and-generic";

const byId = new Map(stockAndGenericSources.map((s) => [s.id, s]));

describe("stock and generic catalog", () => {
  it("has unique lowercase-with-dashes ids", () => {
    expect(byId.size).toBe(stockAndGenericSources.length);
    for (const id of byId.keys()) expect(id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
  });

  it("lists Wikipedia in at least 40 languages, serially and politely", () => {
    const wikipedias = stockAndGenericSources.filter((s) => s.id.startsWith("wikipedia-"));
    expect(wikipedias.length).toBeGreaterThanOrEqual(40);
    expect(byId.get("wikipedia-de")).toMatchObject({
      name: "Wikipedia (German)",
      adapter: "mediawiki",
      category: "wikis",
      homepage: "https://de.wikipedia.org/",
    });
    for (const s of stockAndGenericSources.filter((s) => s.adapter === "mediawiki")) {
      expect(s.politeness).toEqual({ requestsPerSecond: 2, concurrency: 1 });
      expect(s.name).not.toBe("");
    }
    for (const id of ["wikivoyage-en", "wikispecies", "wikibooks-en", "wikinews-en"]) expect(byId.get(id)?.adapter).toBe("mediawiki");
  });

  it("declares a key, with where to get one, for every key-gated API", () => {
    for (const id of ["pexels", "pixabay", "unsplash", "flickr", "giphy", "imgur"]) {
      const source = byId.get(id);
      expect(source?.key?.help).toMatch(/https:\/\//);
      expect(source?.input).toBe("query");
    }
    expect(byId.get("imgur")?.category).toBe("social");
    expect(byId.has("tenor")).toBe(false);
  });

  it("offers the feed and sitemap readers as URL-based generic sources", () => {
    for (const id of ["feed", "sitemap"]) {
      expect(byId.get(id)).toMatchObject({ input: "urls", category: "generic" });
      expect(byId.get(id)?.key).toBeUndefined();
    }
  });
});
