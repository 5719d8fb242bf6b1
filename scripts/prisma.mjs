#!/usr/bin/env node
// Runs the real Prisma CLI with Trawl's offline schema engine (scripts/schema-engine.mjs).
// Usage: node scripts/prisma.mjs <prisma args…>   e.g. migrate deploy, migrate status, generate
import { spawnSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const result = spawnSync(process.execPath, [path.join(root, "node_modules/prisma/build/index.js"), ...process.argv.slice(2)], {
  cwd: root,
  stdio: "inherit",
  env: {
    ...process.env,
    PRISMA_SCHEMA_ENGINE_BINARY: path.join(root, "scripts/schema-engine.mjs"),
    CHECKPOINT_DISABLE: "1",
    PRISMA_HIDE_UPDATE_MESSAGE: "1",
  },
});
if (result.error) throw result.error;
process.exit(result.status ?? 1);
