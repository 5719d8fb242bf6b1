import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { inject } from "vitest";

// Runs before each test file is imported: a private data directory and a private copy
// of the migrated template database, so files never share state.
const template = inject("templateDb");
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "trawl-test-"));
fs.copyFileSync(template, path.join(dataDir, "trawl.db"));
process.env.TRAWL_DATA_DIR = dataDir;
process.env.DATABASE_URL = `file:${path.join(dataDir, "trawl.db")}`;
process.env.TRAWL_LOG_LEVEL ??= "error"; // keep test output readable; failures still print
process.env.TRAWL_WORKERS ??= "0"; // steps run in the test process unless a test starts workers itself
