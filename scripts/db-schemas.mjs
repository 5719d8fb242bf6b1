#!/usr/bin/env node
// One model, two providers. prisma/schema.prisma (SQLite, the embedded default) is the
// source of truth; prisma/postgresql/schema.prisma is written from it with only the
// provider and the generated client's folder changed. Prisma fixes the provider per
// schema file and per generated client, so each provider gets its own schema, migration
// folder and client. `--check` fails when the PostgreSQL copy is out of step (CI runs it);
// tests/migrations.test.ts checks that each provider's migrations build its schema.
// Usage: node scripts/db-schemas.mjs [--check]
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const source = path.join(root, "prisma/schema.prisma");
const target = path.join(root, "prisma/postgresql/schema.prisma");

function replaceOnce(text, pattern, replacement) {
  const matches = text.match(new RegExp(pattern, "g")) ?? [];
  if (matches.length !== 1) throw new Error(`prisma/schema.prisma: expected one ${pattern}, found ${matches.length}`);
  return text.replace(pattern, replacement);
}

function postgresqlSchema(sqlite) {
  const header =
    "// GENERATED from prisma/schema.prisma by scripts/db-schemas.mjs — edit that file, then run\n" +
    "// node scripts/db-schemas.mjs. Only the provider and the client's output folder differ.\n";
  let text = replaceOnce(sqlite, 'provider = "sqlite"', 'provider = "postgresql"');
  text = replaceOnce(text, 'output       = "../lib/db/generated"', 'output       = "../../lib/db/generated-postgresql"');
  return header + text;
}

const wanted = postgresqlSchema(fs.readFileSync(source, "utf8"));
if (process.argv.includes("--check")) {
  const current = fs.existsSync(target) ? fs.readFileSync(target, "utf8") : "";
  if (current !== wanted) {
    console.error("prisma/postgresql/schema.prisma is out of step with prisma/schema.prisma: run node scripts/db-schemas.mjs");
    process.exit(1);
  }
} else {
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.writeFileSync(target, wanted);
  console.log(`wrote ${path.relative(root, target)}`);
}
