import { createHash } from "node:crypto";
import { Prisma, type Db } from "@/lib/db";
import { ACTIVE_JOB_STATUSES, type JobStatus } from "./status";

// Versions of what the dashboard and the job page poll, read with one small statement each, so
// an unchanged poll is answered 304 without building its body. Every write that changes a
// polled answer moves one of these: a job's updatedAt (counters, status, current file, message;
// deleting a file touches the jobs that show it, lib/assets/queries.ts), its sources' and items'
// updatedAt, its newest log line; and for the list, which jobs it holds.

type VersionRow = Record<string, unknown>;

function digest(parts: readonly unknown[]) {
  const text = parts.map((part) => (part instanceof Date ? part.toISOString() : String(part ?? "-"))).join("|");
  return createHash("sha256").update(text).digest("base64url").slice(0, 22);
}

/** The version of GET /api/jobs for this user and filter: the listed jobs' ids and updatedAt, and the number of active jobs. */
export async function jobListVersion(client: Db, userId: string, filter: { status?: JobStatus | "active"; limit: number }) {
  const statuses = filter.status === "active" ? ACTIVE_JOB_STATUSES : filter.status ? [filter.status] : undefined;
  const statusClause = statuses ? Prisma.sql`AND "status" IN (${Prisma.join(statuses)})` : Prisma.empty;
  const rows = await client.$queryRaw<VersionRow[]>(Prisma.sql`
    SELECT "id", "updatedAt",
           (SELECT COUNT(*) FROM "Job" WHERE "userId" = ${userId} AND "status" IN (${Prisma.join(ACTIVE_JOB_STATUSES)})) AS "active"
    FROM "Job" WHERE "userId" = ${userId} ${statusClause}
    ORDER BY "createdAt" DESC LIMIT ${filter.limit}`);
  return digest(["jobs", filter.status, filter.limit, rows[0]?.active, ...rows.flatMap((row) => [row.id, row.updatedAt])]);
}

/** The version of GET /api/jobs/:id, or null when the user has no such job. */
export async function jobDetailVersion(client: Db, userId: string, jobId: string) {
  const [row] = await client.$queryRaw<VersionRow[]>(Prisma.sql`
    SELECT j."updatedAt" AS "job",
           (SELECT MAX("updatedAt") FROM "JobSource" WHERE "jobId" = j."id") AS "sources",
           (SELECT MAX("updatedAt") FROM "Item" WHERE "jobId" = j."id") AS "items",
           (SELECT MAX("id") FROM "JobEvent" WHERE "jobId" = j."id") AS "event"
    FROM "Job" j WHERE j."id" = ${jobId} AND j."userId" = ${userId}`);
  return row ? digest(["job", jobId, row.job, row.sources, row.items, row.event]) : null;
}
