import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { config } from "@/lib/config";
import { createDb, db, optimizeDatabase, type Db } from "@/lib/db";
import { insertRows } from "@/lib/db/bulk";
import { createJob } from "@/lib/jobs/create";
import { createJobInput } from "@/lib/jobs/input";
import { jobDetailVersion, jobListVersion } from "@/lib/jobs/poll-version";
import { getJobDetail, listJobs } from "@/lib/jobs/queries";
import { recordJobEvent } from "@/lib/jobs/events";
import { deleteAsset } from "@/lib/assets/queries";
import { storage } from "@/lib/storage";
import { jobWorld } from "@/tests/support/job-world";
import { ownerId, testUser } from "@/tests/support/users";
import { appRequest, callRoute, signedInUser } from "@/tests/support/accounts";

// What the pages poll must cost the same whatever the number of jobs: the statements each
// query sends are counted on a client that hears them, for 1 and for 50 listed jobs; and an
// unchanged poll is answered 304 from its version, before any body is built.

const world = jobWorld({ site: false });

let statements: string[] = [];
let counted: Db;

beforeAll(() => {
  counted = createDb(process.env.DATABASE_URL!, { onQuery: (sql) => statements.push(sql) });
});
afterAll(() => counted.$disconnect());

async function statementsOf(run: () => Promise<unknown>) {
  statements = [];
  await run();
  return statements.filter((sql) => !/^(BEGIN|COMMIT|ROLLBACK)/i.test(sql)).length;
}

/** A running job with `files` downloaded items, each with its asset, and a log line. */
async function runningJobWithFiles(userId: string, files: number) {
  const { jobId } = await createJob(
    db(),
    world.intake.send,
    userId,
    createJobInput.parse({ sources: ["direct-links"], maxItems: 500, targetUrls: ["https://example.org/a.png"] }),
  );
  await db().job.update({ where: { id: jobId }, data: { status: "running" } });
  const assets = Array.from({ length: files }, (_, n) => ({
    id: randomUUID(),
    userId,
    sha256: randomUUID().replace(/-/g, "").padEnd(64, "0"),
    mime: "image/png",
    ext: "png",
    mediaType: "image",
    bytes: BigInt(100),
    storageKey: `files/${jobId}-${n}.png`,
    originalName: `${n}.png`,
    sourceId: "direct-links",
    jobId,
    mediaUrl: `https://example.org/${n}.png`,
    createdAt: new Date(),
  }));
  if (assets.length) await insertRows(db(), "Asset", assets);
  const start = Date.now();
  const items = assets.map((asset, n) => ({
    id: randomUUID(),
    jobId,
    sourceId: "direct-links",
    remoteId: `item-${n}`,
    mediaType: "image",
    mediaUrl: asset.mediaUrl,
    status: "downloaded",
    attempts: 1,
    bytes: BigInt(100),
    assetId: asset.id,
    createdAt: new Date(start + n),
    updatedAt: new Date(start + n),
  }));
  if (items.length) await insertRows(db(), "Item", items);
  await recordJobEvent(db(), jobId, "info", "started");
  return jobId;
}

describe("the cost of a poll", () => {
  it("lists 1 or 50 jobs, with their latest files, in the same number of statements", async () => {
    const solo = await testUser(db(), "poll-solo");
    const many = await testUser(db(), "poll-many");
    await runningJobWithFiles(solo.id, 8);
    for (let n = 0; n < 50; n++) await runningJobWithFiles(many.id, n % 9);

    const filter = { status: "active" as const, limit: 50 };
    const forOne = await statementsOf(() => listJobs(counted, solo.id, filter));
    const forFifty = await statementsOf(() => listJobs(counted, many.id, filter));
    expect(forFifty).toBe(forOne);
    expect(forFifty).toBeLessThanOrEqual(3);

    const listed = await listJobs(db(), many.id, filter);
    expect(listed).toHaveLength(50);
    // each job's latest files, at most 6 (job n has n % 9 files, listed newest job first)
    expect(listed.map((job) => job.recentFiles.length)).toEqual(Array.from({ length: 50 }, (_, i) => Math.min(6, (49 - i) % 9)));
    const withEight = (await listJobs(db(), solo.id, filter))[0];
    expect(withEight.recentFiles.map((f) => f.title)).toEqual(["7.png", "6.png", "5.png", "4.png", "3.png", "2.png"]);

    expect(await statementsOf(() => jobListVersion(counted, many.id, filter))).toBe(1);
  });

  it("reads a job's page in a fixed number of statements, and its version in one", async () => {
    const userId = await ownerId();
    const small = await runningJobWithFiles(userId, 1);
    const large = await runningJobWithFiles(userId, 40);
    const forSmall = await statementsOf(() => getJobDetail(counted, userId, small));
    const forLarge = await statementsOf(() => getJobDetail(counted, userId, large));
    expect(forLarge).toBe(forSmall);
    expect(forLarge).toBeLessThanOrEqual(6);
    expect(await statementsOf(() => jobDetailVersion(counted, userId, large))).toBe(1);
  });

  it("answers an unchanged poll 304 with its ETag, and a changed one 200 with a new ETag", async () => {
    const user = await signedInUser("poller");
    const jobId = await runningJobWithFiles(user.id, 2);
    const poll = (route: string, path: string, params: Record<string, string>) => (etag?: string) =>
      callRoute(route, "GET", appRequest("GET", path, { cookie: user.cookie, headers: etag ? { "if-none-match": etag } : {} }), params);
    const detail = poll("/api/jobs/[id]", `/api/jobs/${jobId}`, { id: jobId });
    const list = poll("/api/jobs", "/api/jobs?status=active", {});

    for (const poll of [detail, list]) {
      const first = await poll();
      expect(first.status).toBe(200);
      const etag = first.headers.get("etag");
      expect(etag).toMatch(/^W\/"[\w-]+"$/);
      expect(first.headers.get("cache-control")).toBe("private, no-cache");
      const again = await poll(etag!);
      expect(again.status).toBe(304);
      expect(await again.text()).toBe("");
      expect(again.headers.get("etag")).toBe(etag);
    }

    const before = (await detail()).headers.get("etag")!;
    const listBefore = (await list()).headers.get("etag")!;
    await recordJobEvent(db(), jobId, "warn", "a new log line");
    const afterEvent = await detail(before);
    expect(afterEvent.status).toBe(200);
    expect(afterEvent.headers.get("etag")).not.toBe(before);

    await db().job.update({ where: { id: jobId }, data: { downloaded: { increment: 1 } } });
    const listAfter = await list(listBefore);
    expect(listAfter.status).toBe(200);

    // Deleting a file the job shows (the items' link is cleared by the database) changes both versions.
    const detailBeforeDelete = await jobDetailVersion(db(), user.id, jobId);
    const listBeforeDelete = await jobListVersion(db(), user.id, { status: "active", limit: 50 });
    const shown = await db().asset.findFirstOrThrow({ where: { jobId } });
    await new Promise((resolve) => setTimeout(resolve, 5)); // updatedAt has millisecond resolution
    expect(await deleteAsset(db(), storage(), user.id, shown.id)).toBe(true);
    expect(await jobDetailVersion(db(), user.id, jobId)).not.toBe(detailBeforeDelete);
    expect(await jobListVersion(db(), user.id, { status: "active", limit: 50 })).not.toBe(listBeforeDelete);

    // another user's job is not found, with or without a version
    const stranger = await testUser(db(), "poll-stranger");
    expect(await jobDetailVersion(db(), stranger.id, jobId)).toBeNull();
  });
});

describe.skipIf(config().databaseKind !== "sqlite")("SQLite's statistics", () => {
  it("are kept, so the dashboard's version reads the active jobs by status, not every job of the user", async () => {
    const user = await testUser(db(), "poll-many");
    const at = Date.UTC(2026, 0, 1);
    const finished = Array.from({ length: 3_000 }, (_, n) => ({
      id: `finished-${n}`,
      userId: user.id,
      query: "q",
      mediaTypes: "images",
      maxItems: 20,
      status: "completed",
      createdAt: new Date(at + n),
      updatedAt: new Date(at + n),
    }));
    await insertRows(db(), "Job", finished);
    let captured: { sql: string; params: unknown[] } | undefined;
    const planned = createDb(process.env.DATABASE_URL!, { onQuery: (sql, params) => (captured ??= { sql, params: JSON.parse(params) }) });
    try {
      await jobListVersion(planned, user.id, { status: "active", limit: 50 });
      await optimizeDatabase(db());
      const plan = await db().$queryRawUnsafe<Array<{ detail: string }>>(`EXPLAIN QUERY PLAN ${captured!.sql}`, ...captured!.params);
      expect(plan[0].detail).toContain("USING INDEX Job_userId_status_createdAt_idx (userId=? AND status=?)");
    } finally {
      await planned.$disconnect();
    }
  });
});
