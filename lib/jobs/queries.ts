import { z } from "zod";
import { Prisma, type Db } from "@/lib/db";
import type { Job, JobSource } from "@/lib/db/generated/client";
import { toIso, toNumber } from "@/lib/format";
import { hasThumbnail } from "@/lib/assets/thumbnail";
import { sourceName } from "@/lib/sources/registry";
import { parseJobRow } from "./job-row";
import { ACTIVE_JOB_STATUSES, jobStatuses, type JobStatus } from "./status";

function percent(job: Pick<Job, "detected" | "downloaded" | "skipped" | "failed" | "status">) {
  if (job.status === "completed" || job.status === "completed_with_errors") return 100;
  if (job.detected === 0) return 0;
  return Math.min(100, Math.floor((100 * (job.downloaded + job.skipped + job.failed)) / job.detected));
}

function sourceSummary(s: JobSource) {
  return {
    sourceId: s.sourceId,
    name: sourceName(s.sourceId),
    status: s.status,
    detected: s.detected,
    downloaded: s.downloaded,
    skipped: s.skipped,
    failed: s.failed,
    pagesSearched: s.pagesSearched,
    message: s.message,
    error: s.error,
  };
}

interface RecentFileRow {
  jobId: string;
  title: string | null;
  assetId: string;
  thumbKey: string | null;
  originalName: string;
  mediaType: string;
}

/** The latest downloaded files of each job, in one statement whatever the number of jobs (ranked per job by the database). */
async function recentFiles(client: Db, jobIds: string[], perJob: number) {
  const byJob = new Map<string, Array<{ assetId: string; title: string; mediaType: string; thumbUrl: string | null; fileUrl: string }>>();
  if (jobIds.length === 0) return byJob;
  const rows = await client.$queryRaw<RecentFileRow[]>(Prisma.sql`
    SELECT "jobId", "title", "assetId", "thumbKey", "originalName", "mediaType" FROM (
      SELECT i."jobId", i."title", a."id" AS "assetId", a."thumbKey", a."originalName", a."mediaType", i."updatedAt",
             ROW_NUMBER() OVER (PARTITION BY i."jobId" ORDER BY i."updatedAt" DESC, i."id" DESC) AS "rank"
      FROM "Item" i JOIN "Asset" a ON a."id" = i."assetId"
      WHERE i."jobId" IN (${Prisma.join(jobIds)}) AND i."status" = 'downloaded'
    ) ranked
    WHERE "rank" <= ${perJob}
    ORDER BY "jobId", "updatedAt" DESC, "assetId"`);
  for (const row of rows) {
    const files = byJob.get(row.jobId) ?? [];
    files.push({
      assetId: row.assetId,
      title: row.title ?? row.originalName,
      mediaType: row.mediaType,
      thumbUrl: hasThumbnail(row) ? `/api/assets/${row.assetId}/thumb` : null,
      fileUrl: `/api/assets/${row.assetId}/file`,
    });
    byJob.set(row.jobId, files);
  }
  return byJob;
}

function jobSummary(row: Job & { sources: JobSource[] }) {
  const job = parseJobRow(row);
  return {
    id: job.id,
    query: job.query,
    targetUrls: job.targetUrls,
    mediaTypes: job.mediaTypes,
    maxItems: job.maxItems,
    safeSearch: job.safeSearch,
    status: job.status,
    percent: percent(job),
    detected: job.detected,
    downloaded: job.downloaded,
    skipped: job.skipped,
    failed: job.failed,
    bytes: toNumber(job.bytes),
    currentItem: job.currentItem,
    message: job.message,
    error: job.error,
    engineRunId: job.engineRunId,
    createdAt: toIso(job.createdAt),
    startedAt: toIso(job.startedAt),
    finishedAt: toIso(job.finishedAt),
    updatedAt: toIso(job.updatedAt),
    sources: job.sources.map(sourceSummary),
  };
}

/** GET /api/jobs's query string: a status filter ("active" for queued and running) and how many. */
export const jobListQuery = z.object({
  status: z.enum([...jobStatuses, "active"]).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export async function listJobs(client: Db, userId: string, filter: { status?: JobStatus | "active"; limit: number }) {
  const status = filter.status === "active" ? { in: ACTIVE_JOB_STATUSES } : filter.status;
  const jobs = await client.job.findMany({
    where: status ? { userId, status } : { userId },
    orderBy: { createdAt: "desc" },
    take: filter.limit,
    include: { sources: { orderBy: { sourceId: "asc" } } },
  });
  const files = await recentFiles(
    client,
    jobs.map((j) => j.id),
    6,
  );
  return jobs.map((job) => ({ ...jobSummary(job), recentFiles: files.get(job.id) ?? [] }));
}

export type JobSummary = Awaited<ReturnType<typeof listJobs>>[number];

export async function countActiveJobs(client: Db, userId: string) {
  return client.job.count({ where: { userId, status: { in: ACTIVE_JOB_STATUSES } } });
}

/** The job page polls every second while a job runs: it gets the failed items first, then the others, this many in all. */
export const ITEMS_SHOWN = 200;

const itemFields = {
  id: true,
  sourceId: true,
  mediaType: true,
  mediaUrl: true,
  title: true,
  status: true,
  reason: true,
  attempts: true,
  bytes: true,
  assetId: true,
} as const;

async function itemsToShow(client: Db, jobId: string) {
  const failed = await client.item.findMany({
    where: { jobId, status: "failed" },
    orderBy: { updatedAt: "desc" },
    take: ITEMS_SHOWN,
    select: itemFields,
  });
  if (failed.length >= ITEMS_SHOWN) return failed;
  const others = await client.item.findMany({
    where: { jobId, status: { not: "failed" } },
    orderBy: { createdAt: "asc" },
    take: ITEMS_SHOWN - failed.length,
    select: itemFields,
  });
  return [...failed, ...others];
}

export async function getJobDetail(client: Db, userId: string, jobId: string) {
  const job = await client.job.findFirst({ where: { id: jobId, userId }, include: { sources: { orderBy: { sourceId: "asc" } } } });
  if (!job) return null;
  const [files, events, items] = await Promise.all([
    recentFiles(client, [jobId], 12),
    client.jobEvent.findMany({ where: { jobId }, orderBy: { id: "desc" }, take: 200 }),
    itemsToShow(client, jobId),
  ]);
  return {
    ...jobSummary(job),
    recentFiles: files.get(jobId) ?? [],
    events: events.map((e) => ({ id: e.id, level: e.level, sourceId: e.sourceId, message: e.message, createdAt: toIso(e.createdAt) })),
    items: items.map((i) => ({
      id: i.id,
      sourceId: i.sourceId,
      mediaType: i.mediaType,
      mediaUrl: i.mediaUrl,
      title: i.title,
      status: i.status,
      reason: i.reason,
      attempts: i.attempts,
      bytes: toNumber(i.bytes),
      assetId: i.assetId,
    })),
  };
}

export type JobDetail = NonNullable<Awaited<ReturnType<typeof getJobDetail>>>;
