import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { testUser } from "@/tests/support/users";
import { cleanupOldJobs } from "./cleanup";
import { historyFilter, listHistory } from "./history";

const day = 86_400_000;
const base = new Date("2026-01-10T12:00:00.000Z").getTime();
let userId: string;

beforeAll(async () => {
  const user = await testUser(db());
  userId = user.id;
  // Another user's job matches every filter below and must never show.
  const other = await testUser(db(), "someone-else");
  await db().job.create({
    data: {
      userId: other.id,
      query: "aurora fjord",
      mediaTypes: "images",
      maxItems: 5,
      status: "failed",
      createdAt: new Date(base + 5 * day),
      sources: { create: [{ sourceId: "openverse", status: "failed" }] },
    },
  });
  // 30 jobs, one per 6 hours; every third one failed; two share a timestamp to test the id tie-break.
  for (let i = 0; i < 30; i++) {
    await db().job.create({
      data: {
        userId: user.id,
        query: i % 2 ? `aurora ${i}` : `fjord ${i}`,
        mediaTypes: "images",
        maxItems: 5,
        status: i % 3 === 0 ? "failed" : "completed",
        createdAt: new Date(base + Math.min(i, 28) * 6 * 3_600_000),
        sources: { create: [{ sourceId: i % 2 ? "openverse" : "wikimedia-commons", status: "completed" }] },
      },
    });
  }
});
afterAll(() => db().$disconnect());

async function allPages(input: Record<string, unknown>) {
  const seen: string[] = [];
  let after: string | null = null;
  do {
    const page: Awaited<ReturnType<typeof listHistory>> = await listHistory(
      db(),
      userId,
      historyFilter.parse({ ...input, limit: 7, ...(after ? { after } : {}) }),
    );
    seen.push(...page.jobs.map((j) => j.query));
    after = page.next;
  } while (after);
  return seen;
}

describe("job history", () => {
  it("pages through every job exactly once with keyset cursors, newest or oldest first", async () => {
    const newest = await allPages({});
    expect(newest).toHaveLength(30);
    expect(new Set(newest).size).toBe(30);
    const oldest = await allPages({ sort: "oldest" });
    expect(oldest).toEqual([...newest].reverse());
  });

  it("filters by status, source, query text and date range", async () => {
    const failed = await allPages({ status: "failed" });
    expect(failed).toHaveLength(10);
    const openverse = await allPages({ source: "openverse" });
    expect(openverse.every((q) => q.startsWith("aurora"))).toBe(true);
    expect(openverse).toHaveLength(15);
    expect(await allPages({ q: "fjord 1" })).toEqual(expect.arrayContaining(["fjord 10", "fjord 12"]));
    // Whatever the database: SQLite's LIKE ignores case, PostgreSQL's only when asked to.
    expect(await allPages({ q: "FJORD 1" })).toEqual(await allPages({ q: "fjord 1" }));
    const firstDay = await allPages({ from: "2026-01-10", to: "2026-01-10" });
    expect(firstDay.sort()).toEqual(["aurora 1", "fjord 0"]);
  });

  it("refuses a malformed cursor", () => {
    expect(historyFilter.safeParse({ after: "'; DROP TABLE Job" }).success).toBe(false);
  });

  it("cleans up finished jobs older than the cut-off and keeps the rest", async () => {
    const report = await cleanupOldJobs(db(), { olderThanDays: 5, now: new Date(base + 7 * day) });
    expect(report.removedJobs).toBe(8); // on day 7 the cut-off is day 2: jobs 0–7 (every 6 hours from day 0)
    expect(await db().job.count()).toBe(23); // 22 of this user and the other user's, newer than the cut-off
  });
});
