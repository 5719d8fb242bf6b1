import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { inject } from "vitest";
import { createDatabase } from "./test-databases";

// Runs before each test file is imported: a private data directory and a private copy
// of the migrated template database, so files never share state.
const template = inject("templateDb");
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "trawl-test-"));
process.env.TRAWL_DATA_DIR = dataDir;
if (template.kind === "postgresql") {
  process.env.DATABASE_URL = await createDatabase(
    template.serverUrl,
    `${template.prefix}_${path.basename(dataDir).replace(/\W/g, "_")}`.toLowerCase(),
    template.name,
  );
} else {
  fs.copyFileSync(template.file, path.join(dataDir, "trawl.db"));
  process.env.DATABASE_URL = `file:${path.join(dataDir, "trawl.db")}`;
}
process.env.TRAWL_LOG_LEVEL ??= "error"; // keep test output readable; failures still print
process.env.TRAWL_WORKERS ??= "0"; // steps run in the test process unless a test starts workers itself
