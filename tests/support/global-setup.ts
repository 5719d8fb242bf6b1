import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { createDatabase, dropDatabases, newDatabaseName } from "./test-databases";

declare module "vitest" {
  export interface ProvidedContext {
    /** A migrated SQLite file to copy, or a migrated PostgreSQL database to use as a template. */
    templateDb: { kind: "sqlite"; file: string } | { kind: "postgresql"; serverUrl: string; name: string; prefix: string };
  }
}

function migrateDeploy(databaseUrl: string) {
  execFileSync(process.execPath, ["scripts/prisma.mjs", "migrate", "deploy"], {
    env: { ...process.env, DATABASE_URL: databaseUrl },
    stdio: "pipe",
  });
}

// Builds one database with the real migrations (through the real Prisma CLI and Trawl's
// offline schema engine); each test file then works on its own copy. SQLite by default;
// with TEST_DATABASE_URL=postgresql://… the whole suite runs on that PostgreSQL server.
export default async function setup(project: TestProject) {
  const serverUrl = process.env.TEST_DATABASE_URL;
  if (serverUrl) {
    if (!/^postgres(ql)?:\/\//.test(serverUrl)) throw new Error(`TEST_DATABASE_URL must be a postgresql:// URL, not ${serverUrl}`);
    const prefix = newDatabaseName("trawl_test");
    const name = `${prefix}_template`;
    migrateDeploy(await createDatabase(serverUrl, name));
    project.provide("templateDb", { kind: "postgresql", serverUrl, name, prefix });
    return () => dropDatabases(serverUrl, prefix);
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "trawl-template-"));
  const file = path.join(dir, "template.db");
  migrateDeploy(`file:${file}`);
  project.provide("templateDb", { kind: "sqlite", file });
  return () => fs.rmSync(dir, { recursive: true, force: true });
}
