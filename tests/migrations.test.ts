import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { databaseUrlOn, dropDatabases, newDatabaseName } from "./support/test-databases";

// The real Prisma CLI with Trawl's offline schema engine (scripts/prisma.mjs), as `npm start` runs it.
function prisma(databaseUrl: string, ...args: string[]) {
  const result = spawnSync(process.execPath, ["scripts/prisma.mjs", ...args], {
    env: { ...process.env, DATABASE_URL: databaseUrl },
    encoding: "utf8",
  });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

const migrateDeploy = (databaseUrl: string) => prisma(databaseUrl, "migrate", "deploy");

/** Exit code 0: the migrations build exactly the schema; 2: they differ (and the output says how). */
function migrationsDrift(databaseUrl: string, folder: string, schema = `${folder}/schema.prisma`) {
  return prisma(databaseUrl, "migrate", "diff", "--from-migrations", `${folder}/migrations`, "--to-schema", schema, "--exit-code");
}

const postgresServer = process.env.TEST_DATABASE_URL;

const migrationsIn = (folder: string) =>
  fs
    .readdirSync(folder, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
const migrationNames = migrationsIn("prisma/migrations");
const postgresMigrationNames = migrationsIn("prisma/postgresql/migrations");

describe("migrate deploy with the offline schema engine", () => {
  it("creates the database in a folder that does not exist yet and applies every migration", () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "trawl-migrate-")), "data", "nested", "trawl.db");
    const first = migrateDeploy(`file:${file}`);
    expect(first.output).toContain("All migrations have been successfully applied.");
    expect(first.status).toBe(0);
    const db = new Database(file, { readonly: true });
    const applied = db
      .prepare(`SELECT migration_name FROM "_prisma_migrations" WHERE finished_at IS NOT NULL ORDER BY migration_name`)
      .all();
    const tables = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).all() as Array<{ name: string }>;
    db.close();
    expect(applied).toEqual(migrationNames.map((migration_name) => ({ migration_name })));
    expect(tables.map((t) => t.name)).toEqual(
      expect.arrayContaining(["Job", "JobSource", "Item", "Asset", "JobEvent", "SourceSetting", "User"]),
    );

    const again = migrateDeploy(`file:${file}`);
    expect(again.output).toContain("No pending migrations to apply.");
    expect(again.status).toBe(0);
  });

  it("fails with the reason when the database cannot be created", () => {
    const result = migrateDeploy("file:/dev/null/not-a-folder/trawl.db");
    expect(result.status).not.toBe(0);
    expect(result.output).toContain("ENOTDIR: not a directory, mkdir '/dev/null/not-a-folder'");
  });

  it("keeps a library from before accounts: its one user becomes the set-up's legacy user, with its jobs and assets", () => {
    const accounts = migrationNames.findIndex((name) => name.endsWith("_accounts"));
    const db = new Database(":memory:");
    const apply = (name: string) => db.exec(fs.readFileSync(path.join("prisma/migrations", name, "migration.sql"), "utf8"));
    migrationNames.slice(0, accounts).forEach(apply);
    db.prepare(`INSERT INTO "User" (id, name) VALUES ('u1', 'local')`).run();
    db.prepare(
      `INSERT INTO "Job" (id, userId, query, mediaTypes, maxItems, status, updatedAt) VALUES ('j1', 'u1', 'q', 'images', 5, 'completed', CURRENT_TIMESTAMP)`,
    ).run();
    migrationNames.slice(accounts).forEach(apply);
    expect(db.prepare(`SELECT id, name, email, role, username FROM "User"`).all()).toEqual([
      { id: "u1", name: "local", email: "u1@legacy.invalid", role: "user", username: null },
    ]);
    expect(db.prepare(`SELECT userId FROM "Job"`).all()).toEqual([{ userId: "u1" }]);
    db.close();
  });
});

describe("one model, two providers", () => {
  it("keeps the PostgreSQL schema in step with the SQLite one (scripts/db-schemas.mjs)", () => {
    const check = spawnSync(process.execPath, ["scripts/db-schemas.mjs", "--check"], { encoding: "utf8" });
    expect(check.stderr).toBe("");
    expect(check.status).toBe(0);
  });

  it("has SQLite migrations that build exactly the schema", () => {
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "trawl-drift-"));
    const result = migrationsDrift(`file:${path.join(scratch, "trawl.db")}`, "prisma");
    expect(result.output).toContain("No difference detected.");
    expect(result.status).toBe(0);
  });

  it("notices a schema that its migrations do not build", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "trawl-drift-"));
    const schema = path.join(dir, "schema.prisma");
    const model = fs.readFileSync("prisma/schema.prisma", "utf8");
    fs.writeFileSync(schema, model.replace("model User {", "model User {\n  nickname String?"));
    const result = migrationsDrift(`file:${path.join(dir, "trawl.db")}`, "prisma", schema);
    expect(result.output).toContain("nickname");
    expect(result.status).toBe(2);
  });
});

describe.skipIf(!postgresServer)("migrations on PostgreSQL (TEST_DATABASE_URL)", () => {
  const prefix = newDatabaseName("trawl_migrate");
  afterAll(() => dropDatabases(postgresServer!, prefix));

  it("creates the database when it does not exist yet and applies every migration once", async () => {
    const url = databaseUrlOn(postgresServer!, `${prefix}_fresh`);
    const first = migrateDeploy(url);
    expect(first.output).toContain("All migrations have been successfully applied.");
    expect(first.status).toBe(0);
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    const { rows } = await client.query(`SELECT migration_name FROM "_prisma_migrations" WHERE finished_at IS NOT NULL`);
    const tables = await client.query<{ tablename: string }>(`SELECT tablename FROM pg_tables WHERE schemaname = 'public'`);
    await client.end();
    expect(rows).toEqual(postgresMigrationNames.map((migration_name) => ({ migration_name })));
    expect(tables.rows.map((t) => t.tablename)).toEqual(expect.arrayContaining(["Job", "JobSource", "Item", "Asset", "JobEvent", "User"]));
    const again = migrateDeploy(url);
    expect(again.output).toContain("No pending migrations to apply.");
  });

  it("has PostgreSQL migrations that build exactly the schema", () => {
    // The engine builds the migrations in a shadow database it creates beside this file's own.
    const result = migrationsDrift(process.env.DATABASE_URL!, "prisma/postgresql");
    expect(result.output).toContain("No difference detected.");
    expect(result.status).toBe(0);
  });
});
