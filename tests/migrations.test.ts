import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";

// The real Prisma CLI with Trawl's offline schema engine (scripts/prisma.mjs), as `npm start` runs it.
function migrateDeploy(databaseUrl: string) {
  const result = spawnSync(process.execPath, ["scripts/prisma.mjs", "migrate", "deploy"], {
    env: { ...process.env, DATABASE_URL: databaseUrl },
    encoding: "utf8",
  });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

const migrationNames = fs
  .readdirSync("prisma/migrations", { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .sort();

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
