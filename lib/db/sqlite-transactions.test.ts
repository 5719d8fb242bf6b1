import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, type Db } from "@/lib/db";
import { startOtherSqliteProcess } from "@/tests/support/other-sqlite-process";

// The web process and the job worker are two connections to one SQLite file. A transaction in
// one that reads, then writes, must not fail when the other writes in between (it waits instead).

describe("SQLite transactions across processes", () => {
  let dir: string;
  let client: Db;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "trawl-sqlite-tx-"));
    client = createDb(`file:${path.join(dir, "tx.db")}`);
    await client.$queryRawUnsafe("PRAGMA journal_mode = WAL");
    await client.$executeRawUnsafe('CREATE TABLE "Counter" ("id" INTEGER PRIMARY KEY, "value" INTEGER NOT NULL)');
    await client.$executeRawUnsafe('INSERT INTO "Counter" ("id", "value") VALUES (1, 0)');
  });

  afterAll(async () => {
    await client.$disconnect();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("lets a transaction that reads, then writes, finish while another process writes; the other waits for it", async () => {
    const other = await startOtherSqliteProcess(path.join(dir, "tx.db"));
    try {
      let otherWrote: Promise<void> = Promise.resolve();
      const seen = await client.$transaction(async (tx) => {
        const [row] = await tx.$queryRawUnsafe<Array<{ value: bigint }>>('SELECT "value" FROM "Counter" WHERE "id" = 1');
        let wroteMeanwhile = false;
        otherWrote = other.run('UPDATE "Counter" SET "value" = ? WHERE "id" = 1', 7).then(() => void (wroteMeanwhile = true));
        // Time for the other process to write if it could: with a deferred BEGIN it does, and
        // the update below then fails at once (SQLITE_BUSY_SNAPSHOT); here it must wait.
        await new Promise((resolve) => setTimeout(resolve, 300));
        const before = wroteMeanwhile;
        await tx.$executeRawUnsafe('UPDATE "Counter" SET "value" = ? WHERE "id" = 1', Number(row.value) + 1);
        return { read: Number(row.value), wroteMeanwhile: before };
      });
      expect(seen).toEqual({ read: 0, wroteMeanwhile: false });
      await otherWrote;
      const [row] = await client.$queryRawUnsafe<Array<{ value: bigint }>>('SELECT "value" FROM "Counter" WHERE "id" = 1');
      expect(Number(row.value)).toBe(7); // the other process's write came after the transaction's
    } finally {
      other.stop();
    }
  });
});
