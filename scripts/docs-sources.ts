// Regenerates the sources table in README.md from the registry.
import fs from "node:fs";
import { replaceCatalogTable } from "../lib/sources/catalog-table";

const readme = fs.readFileSync("README.md", "utf8");
fs.writeFileSync("README.md", replaceCatalogTable(readme));
console.log("README.md sources table updated");
