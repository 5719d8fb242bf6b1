import type { Db } from "@/lib/db";
import { sourceName } from "@/lib/sources/registry";

const DAY = 86_400_000;
export const RATE_WINDOW_MS = 5 * 60_000;
export const RATE_BUCKET_MS = 10_000;

async function totalsSince(client: Db, userId: string, since: Date | null) {
  const createdAt = since ? { gte: since } : undefined;
  const [jobs, files] = await Promise.all([
    client.job.count({ where: { userId, createdAt } }),
    client.asset.aggregate({ where: { userId, createdAt }, _count: { _all: true }, _sum: { bytes: true } }),
  ]);
  return { jobs, files: files._count._all, bytes: Number(files._sum.bytes ?? 0) };
}

/** Bytes downloaded per 10-second bucket over the last five minutes, oldest first. */
async function downloadRate(client: Db, userId: string, now: Date) {
  const start = now.getTime() - RATE_WINDOW_MS;
  const items = await client.item.findMany({
    where: { status: "downloaded", updatedAt: { gte: new Date(start) }, job: { userId } },
    select: { updatedAt: true, bytes: true },
  });
  const buckets = Array.from({ length: RATE_WINDOW_MS / RATE_BUCKET_MS }, (_, i) => ({
    at: new Date(start + i * RATE_BUCKET_MS).toISOString(),
    bytes: 0,
    files: 0,
  }));
  for (const item of items) {
    const index = Math.min(buckets.length - 1, Math.floor((item.updatedAt.getTime() - start) / RATE_BUCKET_MS));
    buckets[index].bytes += Number(item.bytes);
    buckets[index].files += 1;
  }
  return buckets;
}

/** The dashboard's figures over one user's jobs and files. */
export async function dashboardStats(client: Db, userId: string, now = new Date()) {
  const startOfDay = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
  const [today, week, all, outcomes, perSource, rate] = await Promise.all([
    totalsSince(client, userId, startOfDay),
    totalsSince(client, userId, new Date(now.getTime() - 7 * DAY)),
    totalsSince(client, userId, null),
    client.job.groupBy({ by: ["status"], where: { userId }, _count: { _all: true } }),
    client.item.groupBy({
      by: ["sourceId", "status"],
      where: { status: { in: ["downloaded", "failed"] }, job: { userId } },
      _count: { _all: true },
    }),
    downloadRate(client, userId, now),
  ]);
  const count = (status: string) => outcomes.find((o) => o.status === status)?._count._all ?? 0;
  const finished = count("completed") + count("completed_with_errors") + count("failed");
  const sources = new Map<string, { sourceId: string; name: string; downloaded: number; failed: number }>();
  for (const row of perSource) {
    const entry = sources.get(row.sourceId) ?? { sourceId: row.sourceId, name: sourceName(row.sourceId), downloaded: 0, failed: 0 };
    entry[row.status as "downloaded" | "failed"] += row._count._all;
    sources.set(row.sourceId, entry);
  }
  return {
    totals: { today, week, all },
    successRate: finished ? (count("completed") + count("completed_with_errors")) / finished : null,
    perSource: [...sources.values()].sort((a, b) => b.downloaded + b.failed - (a.downloaded + a.failed)),
    rate,
  };
}

export type DashboardStats = Awaited<ReturnType<typeof dashboardStats>>;
