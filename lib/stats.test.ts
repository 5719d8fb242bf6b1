import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { testUser } from "@/tests/support/users";
import { dashboardStats, RATE_BUCKET_MS } from "./stats";

const now = new Date("2026-03-01T12:00:00.000Z");
let userId: string;

beforeAll(async () => {
  const user = await testUser(db());
  userId = user.id;
  // Another user's job, file and download: none of it counts in this user's figures.
  const other = await testUser(db(), "someone-else");
  const theirs = await db().job.create({
    data: {
      userId: other.id,
      query: "q",
      mediaTypes: "images",
      maxItems: 5,
      status: "failed",
      createdAt: new Date(now.getTime() - 60_000),
    },
  });
  await db().asset.create({
    data: {
      userId: other.id,
      sha256: "a".repeat(64),
      mime: "image/png",
      ext: "png",
      mediaType: "image",
      bytes: BigInt(5000),
      storageKey: "files/aa/x.png",
      originalName: "x.png",
      sourceId: "openverse",
      mediaUrl: "https://example.org/x.png",
      createdAt: new Date(now.getTime() - 60_000),
    },
  });
  await db().item.create({
    data: {
      jobId: theirs.id,
      sourceId: "openverse",
      remoteId: "9",
      mediaType: "image",
      mediaUrl: "https://example.org/9",
      status: "downloaded",
      bytes: BigInt(5000),
      updatedAt: new Date(now.getTime() - 15_000),
    },
  });
  const job = await db().job.create({
    data: {
      userId: user.id,
      query: "q",
      mediaTypes: "images",
      maxItems: 5,
      status: "completed",
      createdAt: new Date(now.getTime() - 3_600_000),
    },
  });
  await db().job.create({
    data: {
      userId: user.id,
      query: "old",
      mediaTypes: "images",
      maxItems: 5,
      status: "failed",
      createdAt: new Date("2026-01-01T00:00:00Z"),
    },
  });
  const asset = await db().asset.create({
    data: {
      userId: user.id,
      sha256: "a".repeat(64),
      mime: "image/png",
      ext: "png",
      mediaType: "image",
      bytes: BigInt(1000),
      storageKey: "files/aa/x.png",
      originalName: "x.png",
      sourceId: "openverse",
      mediaUrl: "https://example.org/x.png",
      createdAt: new Date(now.getTime() - 60_000),
    },
  });
  await db().item.createMany({
    data: [
      {
        jobId: job.id,
        sourceId: "openverse",
        remoteId: "1",
        mediaType: "image",
        mediaUrl: "https://example.org/1",
        status: "downloaded",
        bytes: BigInt(1000),
        assetId: asset.id,
        updatedAt: new Date(now.getTime() - 15_000),
      },
      {
        jobId: job.id,
        sourceId: "openverse",
        remoteId: "2",
        mediaType: "image",
        mediaUrl: "https://example.org/2",
        status: "failed",
        updatedAt: new Date(now.getTime() - 15_000),
      },
    ],
  });
});
afterAll(() => db().$disconnect());

describe("dashboard statistics", () => {
  it("totals by period, success rate, per-source results and the recent download rate", async () => {
    const stats = await dashboardStats(db(), userId, now);
    expect(stats.totals.today).toEqual({ jobs: 1, files: 1, bytes: 1000 });
    expect(stats.totals.all.jobs).toBe(2);
    expect(stats.successRate).toBe(0.5);
    expect(stats.perSource).toEqual([{ sourceId: "openverse", name: "Openverse", downloaded: 1, failed: 1 }]);
    expect(stats.rate).toHaveLength(300_000 / RATE_BUCKET_MS);
    expect(stats.rate.reduce((sum, b) => sum + b.bytes, 0)).toBe(1000);
    expect(stats.rate.at(-2)?.bytes).toBe(1000); // 15 s ago lands in the second-to-last 10 s bucket
  });
});
