import fs from "node:fs";
import { describe, expect, it } from "vitest";
import { catalogMarkdown, replaceCatalogTable } from "./catalog-table";
import { sources } from "./registry";

describe("the README's sources table", () => {
  it("lists every catalog entry and is up to date (run npm run docs:sources after adding a source)", () => {
    const readme = fs.readFileSync("README.md", "utf8");
    expect(readme).toContain(catalogMarkdown());
    for (const source of sources) expect(catalogMarkdown()).toContain(`| ${source.name.replace(/\|/g, "\\|")} |`);
    expect(replaceCatalogTable(readme)).toBe(readme);
  });
});
