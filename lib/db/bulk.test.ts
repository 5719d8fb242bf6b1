import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { testUser } from "@/tests/support/users";
import { insertRows, updateRowsById } from "./bulk";

// Real SQLite (the migrated test database): rows written by raw statements must read back
// through Prisma exactly as if Prisma had written them.

let jobId: string;
beforeAll(async () => {
  const user = await testUser(db(), `bulk-${Date.now()}`);
  const job = await db().job.create({ data: { userId: user.id, query: "q", mediaTypes: "images", maxItems: 10, status: "running" } });
  jobId = job.id;
});
afterAll(async () => {
  await db().$disconnect();
});

const itemRow = (n: number, at: Date) => ({
  id: `bulk-item-${n}`,
  jobId,
  sourceId: "direct-links",
  remoteId: `remote-${n}`,
  mediaType: "image",
  mediaUrl: `http://media.example/${n}.png`,
  title: n % 2 ? `Title ${n}` : null,
  expectedBytes: n === 1 ? BigInt(2) ** BigInt(40) : null,
  createdAt: at,
  updatedAt: at,
});

describe("insertRows and updateRowsById", () => {
  it("insert more rows than one statement may bind, with every value type read back by Prisma", async () => {
    const at = new Date("2026-11-30T12:34:56.789Z");
    // 3,100 rows × 10 columns is over the 30,000 parameters of one statement: two statements.
    await insertRows(
      db(),
      "Item",
      Array.from({ length: 3100 }, (_, n) => itemRow(n, at)),
    );
    expect(await db().item.count({ where: { jobId } })).toBe(3100);
    const first = await db().item.findUniqueOrThrow({ where: { id: "bulk-item-1" } });
    expect(first).toMatchObject({
      title: "Title 1",
      expectedBytes: BigInt(2) ** BigInt(40),
      status: "pending",
      attempts: 0,
      createdAt: at,
      updatedAt: at,
    });
    expect((await db().item.findUniqueOrThrow({ where: { id: "bulk-item-2" } })).title).toBeNull();
    // Dates compare in the database like Prisma's own.
    expect(await db().item.count({ where: { jobId, createdAt: { gte: at } } })).toBe(3100);
  });

  it("update each row with its own values, rows of different shapes in their own statements", async () => {
    const now = new Date("2026-12-01T00:00:00.000Z");
    await updateRowsById(
      db(),
      "Item",
      [
        { id: "bulk-item-3", values: { status: "downloaded", reason: null, bytes: BigInt(5_000_000_000), attempts: 2 } },
        { id: "bulk-item-4", values: { status: "failed", reason: "HTTP 404", attempts: 3 } },
        { id: "bulk-item-5", values: { status: "downloaded", reason: null, bytes: BigInt(7), attempts: 1 } },
      ],
      { set: { updatedAt: now }, integers: ["bytes", "attempts"] },
    );
    const rows = await db().item.findMany({
      where: { id: { in: ["bulk-item-3", "bulk-item-4", "bulk-item-5", "bulk-item-6"] } },
      orderBy: { remoteId: "asc" },
    });
    expect(rows.map((r) => [r.status, r.reason, r.bytes, r.attempts, r.updatedAt.toISOString()])).toEqual([
      ["downloaded", null, BigInt(5_000_000_000), 2, now.toISOString()],
      ["failed", "HTTP 404", BigInt(0), 3, now.toISOString()],
      ["downloaded", null, BigInt(7), 1, now.toISOString()],
      ["pending", null, BigInt(0), 0, "2026-11-30T12:34:56.789Z"],
    ]);
  });

  it("refuse table and column names that are not plain identifiers, and rows that disagree on columns", async () => {
    await expect(insertRows(db(), 'Item"; DROP TABLE "Item', [itemRow(9000, new Date())])).rejects.toThrow(/not a plain SQL identifier/);
    await expect(updateRowsById(db(), "Item", [{ id: "bulk-item-7", values: { "status = 'x' --": "y" } }])).rejects.toThrow(
      /not a plain SQL identifier/,
    );
    await expect(insertRows(db(), "Item", [itemRow(9001, new Date()), { ...itemRow(9002, new Date()), md5: null }])).rejects.toThrow(
      /different columns/,
    );
    expect(await db().item.count({ where: { jobId } })).toBe(3100);
  });
});
