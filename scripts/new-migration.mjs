#!/usr/bin/env node
// npm run db:new-migration -- --name <name>: after an edit of prisma/schema.prisma, writes the
// migration for each provider from the difference between its migrations and its schema
// (prisma migrate diff --from-migrations … --to-schema … --script, through the offline schema
// engine): prisma/migrations/<timestamp>_<name>/ and prisma/postgresql/migrations/<same>/.
// PostgreSQL's diff replays the migrations in a shadow database on a server: TEST_DATABASE_URL
// (or a postgresql:// DATABASE_URL) names one where databases may be created.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";

const { values } = parseArgs({ options: { name: { type: "string" } } });
if (!values.name || !/^[a-z0-9_]+$/.test(values.name)) {
  console.error("Usage: npm run db:new-migration -- --name <lower_case_name>");
  process.exit(2);
}
const server = [process.env.TEST_DATABASE_URL, process.env.DATABASE_URL].find((url) => /^postgres(ql)?:\/\//.test(url ?? ""));
if (!server) {
  console.error("Set TEST_DATABASE_URL=postgresql://… (a server where databases may be created) for PostgreSQL's migration.");
  process.exit(2);
}

const run = (args, env) => {
  const result = spawnSync(process.execPath, ["scripts/prisma.mjs", ...args], { env: { ...process.env, ...env }, encoding: "utf8" });
  if (result.status !== 0) throw new Error(`prisma ${args.join(" ")} failed:\n${result.stdout}${result.stderr}`);
  return result.stdout;
};

spawnSync(process.execPath, ["scripts/db-schemas.mjs"], { stdio: "inherit" });
const stamp = new Date().toISOString().replace(/\D/g, "").slice(0, 14);
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "trawl-migration-"));
const providers = [
  { folder: "prisma", env: { DATABASE_URL: `file:${path.join(scratch, "shadow.db")}` } },
  { folder: "prisma/postgresql", env: { DATABASE_URL: server } },
];
for (const { folder, env } of providers) {
  const sql = run(
    ["migrate", "diff", "--from-migrations", `${folder}/migrations`, "--to-schema", `${folder}/schema.prisma`, "--script"],
    env,
  );
  if (!/\S/.test(sql.replace(/^--.*$/gm, ""))) {
    console.log(`${folder}: no change`);
    continue;
  }
  const target = path.join(folder, "migrations", `${stamp}_${values.name}`);
  fs.mkdirSync(target, { recursive: true });
  fs.writeFileSync(path.join(target, "migration.sql"), sql);
  console.log(`wrote ${target}/migration.sql`);
}
fs.rmSync(scratch, { recursive: true, force: true });
