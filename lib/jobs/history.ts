import { z } from "zod";
import { config } from "@/lib/config";
import type { Db } from "@/lib/db";
import type { Prisma } from "@/lib/db/generated/client";
import { parseJobRow } from "./job-row";
import { jobStatuses } from "./status";

export const historyFilter = z.object({
  status: z.enum(jobStatuses).optional(),
  source: z.string().max(64).optional(),
  q: z.string().trim().max(200).optional(),
  from: z.iso.date().optional(),
  to: z.iso.date().optional(),
  sort: z.enum(["newest", "oldest"]).default("newest"),
  /** Keyset cursor: "<createdAt ISO>_<id>" of the last row of the previous page. */
  after: z
    .string()
    .regex(/^\d{4}-\d\d-\d\dT[\d:.]+Z_[a-z0-9]+$/, "Not a history cursor")
    .optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type HistoryFilter = z.infer<typeof historyFilter>;

/**
 * A case-insensitive substring filter on either database. SQLite's LIKE ignores ASCII case
 * already and its client has no `mode`; PostgreSQL's needs mode "insensitive" (ILIKE).
 */
function textContaining(text: string): Prisma.StringFilter {
  if (config().databaseKind === "sqlite") return { contains: text };
  return { contains: text, mode: "insensitive" } as Prisma.StringFilter;
}

function whereFor(userId: string, filter: HistoryFilter): Prisma.JobWhereInput {
  const createdAt: Prisma.DateTimeFilter = {};
  if (filter.from) createdAt.gte = new Date(`${filter.from}T00:00:00.000Z`);
  if (filter.to) createdAt.lt = new Date(new Date(`${filter.to}T00:00:00.000Z`).getTime() + 86_400_000);
  const where: Prisma.JobWhereInput[] = [{ userId }];
  if (filter.status) where.push({ status: filter.status });
  if (filter.source) where.push({ sources: { some: { sourceId: filter.source } } });
  if (filter.q) where.push({ query: textContaining(filter.q) });
  if (filter.from || filter.to) where.push({ createdAt });
  if (filter.after) {
    const [iso, id] = filter.after.split("_");
    const at = new Date(iso);
    const beyond = filter.sort === "newest" ? "lt" : "gt";
    where.push({ OR: [{ createdAt: { [beyond]: at } }, { createdAt: at, id: { [beyond]: id } }] });
  }
  return { AND: where };
}

/**
 * One page of the job history. Keyset pagination on (createdAt, id), which the index on
 * those columns serves directly, so a page costs the same at row 100,000 as at row 1.
 */
export async function listHistory(client: Db, userId: string, filter: HistoryFilter) {
  const direction = filter.sort === "newest" ? "desc" : "asc";
  const rows = await client.job.findMany({
    where: whereFor(userId, filter),
    orderBy: [{ createdAt: direction }, { id: direction }],
    take: filter.limit + 1,
    include: { sources: { select: { sourceId: true, status: true } } },
  });
  const page = rows.slice(0, filter.limit);
  const last = page.at(-1);
  const next = rows.length > filter.limit && last ? `${last.createdAt.toISOString()}_${last.id}` : null;
  return {
    jobs: page.map(parseJobRow).map((job) => ({
      id: job.id,
      query: job.query,
      targetUrls: job.targetUrls,
      status: job.status,
      detected: job.detected,
      downloaded: job.downloaded,
      skipped: job.skipped,
      failed: job.failed,
      bytes: Number(job.bytes),
      error: job.error,
      createdAt: job.createdAt.toISOString(),
      finishedAt: job.finishedAt?.toISOString() ?? null,
      sources: job.sources.map((s) => s.sourceId),
    })),
    next,
  };
}

export type HistoryRow = Awaited<ReturnType<typeof listHistory>>["jobs"][number];
