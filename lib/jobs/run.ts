// The bodies of the job function's steps. Each is idempotent: it reads the current
// state from the database and moves it forward, so a retried or re-dispatched step
// never duplicates items, assets or counts.
import { randomUUID } from "node:crypto";
import type { Db } from "@/lib/db";
import { insertRows } from "@/lib/db/bulk";
import type { Job } from "@/lib/db/generated/client";
import { config } from "@/lib/config";
import { forEachConcurrent } from "@/lib/concurrency";
import { errorMessage } from "@/lib/log";
import { isSourceEnabled, recordSourceError, recordSourceSuccess, sourceKeyFor } from "@/lib/sources/catalog-state";
import { sourceContext } from "@/lib/sources/context";
import { getSource, isSourceId, sourceName } from "@/lib/sources/registry";
import { keyVariable } from "@/lib/sources/settings";
import { SourceError, type MediaFilter, type SourceItem } from "@/lib/sources/types";
import { recordJobEvent } from "./events";
import { refreshCounters } from "./progress";
import { downloadItem } from "./download-item";
import { OutcomeWriter } from "./outcome-writer";
import { WriteThrottle } from "./write-throttle";
import { droppedRecordLines } from "./dropped-records";
import { parseJobRow } from "./job-row";
import { ACTIVE_JOB_STATUSES, FINISHED_SOURCE_STATUSES, isActiveJobStatus, isFinishedSourceStatus, type JobStatus } from "./status";

export async function startJob(client: Db, jobId: string, runId: string) {
  const job = await client.job.findUnique({ where: { id: jobId }, include: { sources: true } });
  if (!job) return { run: false as const, reason: `job ${jobId} does not exist` };
  if (!isActiveJobStatus(job.status)) return { run: false as const, reason: `job is ${job.status}` };
  const resumed = job.status === "running";
  await client.job.update({
    where: { id: jobId },
    data: { status: "running", startedAt: job.startedAt ?? new Date(), engineRunId: runId, heartbeatAt: new Date(), message: null },
  });
  await recordJobEvent(client, jobId, "info", resumed ? `Resumed by engine run ${runId}` : `Started (engine run ${runId})`);
  const sourceIds: string[] = [];
  for (const source of job.sources.filter((s) => !isFinishedSourceStatus(s.status))) {
    const reason = await whyNotRunnable(client, source.sourceId);
    if (reason) await skipSource(client, jobId, source.sourceId, reason);
    else sourceIds.push(source.sourceId);
  }
  return { run: true as const, sourceIds };
}

/** The where-clause of one source row of a job. */
const jobSourceRow = (jobId: string, sourceId: string) => ({ jobId_sourceId: { jobId, sourceId } });

/** A reason the source cannot run in this installation, or null. */
async function whyNotRunnable(client: Db, sourceId: string) {
  if (!isSourceId(sourceId)) return "no longer in the catalog";
  const source = getSource(sourceId);
  if (source.key && !(await sourceKeyFor(client, source)))
    return `no API key: an administrator sets it on /sources, or set ${keyVariable(source)} (${source.key.help})`;
  if (!(await isSourceEnabled(client, sourceId))) return "disabled in the source catalog";
  return null;
}

async function skipSource(client: Db, jobId: string, sourceId: string, reason: string) {
  await client.jobSource.update({
    where: jobSourceRow(jobId, sourceId),
    data: { status: "skipped", message: `Skipped: ${reason}`, finishedAt: new Date() },
  });
  await recordJobEvent(client, jobId, "warn", `${sourceName(sourceId)} skipped: ${reason}`, sourceId);
}

/** The source asked us to wait (429/503 with Retry-After); the step should retry after retryAfterMs. */
export class RateLimitedError extends Error {
  constructor(
    message: string,
    readonly retryAfterMs: number,
  ) {
    super(message);
    this.name = "RateLimitedError";
  }
}

const clockTime = (time: Date) => time.toISOString().slice(11, 19) + " UTC";

function wanted(filter: MediaFilter, item: SourceItem) {
  return filter === "both" || (filter === "images" ? item.mediaType === "image" : item.mediaType === "video");
}

/** Fetches one page of search results and stores new items, up to the job's cap for this source. */
export async function searchSourcePage(client: Db, jobId: string, sourceId: string, cursor: string | null, page: number) {
  const job = parseJobRow(await client.job.findUniqueOrThrow({ where: { id: jobId } }));
  if (!isActiveJobStatus(job.status)) return { done: true, nextCursor: null };
  const source = getSource(sourceId);
  const have = await client.item.count({ where: { jobId, sourceId } });
  const remaining = job.maxItems - have;
  if (remaining <= 0) return { done: true, nextCursor: null };

  await client.jobSource.update({
    where: jobSourceRow(jobId, sourceId),
    data: { status: "searching", startedAt: new Date(), message: `Searching page ${page + 1}` },
  });
  let result;
  try {
    result = await source.search(
      {
        query: job.query,
        targetUrls: job.targetUrls,
        mediaTypes: job.mediaTypes,
        safeSearch: job.safeSearch,
        limit: remaining,
        cursor,
      },
      await sourceContext(client, source),
    );
  } catch (error) {
    await recordSourceError(client, sourceId, errorMessage(error));
    if (error instanceof SourceError && error.retryAfterMs !== undefined) {
      const until = new Date(Date.now() + error.retryAfterMs);
      const message = `Rate limited until ${clockTime(until)}`;
      await client.jobSource.update({ where: jobSourceRow(jobId, sourceId), data: { message } });
      await recordJobEvent(client, jobId, "warn", `${source.name}: ${message}`, sourceId);
      throw new RateLimitedError(`${error.message}; ${message}`, error.retryAfterMs);
    }
    throw error;
  }
  await recordSourceSuccess(client, sourceId);
  for (const line of droppedRecordLines(source.name, result.dropped ?? [])) await recordJobEvent(client, jobId, "warn", line, sourceId);
  const candidates = result.items.filter((item) => wanted(job.mediaTypes, item));
  const added = await storeNewItems(client, job, sourceId, candidates, remaining);
  await client.jobSource.update({
    where: jobSourceRow(jobId, sourceId),
    data: { pagesSearched: page + 1, message: null },
  });
  await recordJobEvent(client, jobId, "info", `${source.name}: page ${page + 1} found ${added} new item(s)`, sourceId);
  await refreshCounters(client, jobId);
  const capReached = added >= remaining;
  return { done: capReached || result.nextCursor === null, nextCursor: capReached ? null : result.nextCursor };
}

// SQLite caps the bound parameters of one statement: look up items in slices.
const ITEMS_PER_STATEMENT = 100;

/**
 * Stores the items this job has not seen yet (up to `remaining`), each as pending or, when
 * the archive says this user already has it from this source, as skipped. Returns how many.
 */
async function storeNewItems(
  client: Db,
  job: Pick<Job, "id" | "redownload" | "userId">,
  sourceId: string,
  candidates: SourceItem[],
  remaining: number,
) {
  const unique = dedupeByRemoteId(candidates);
  let stored = 0;
  for (let at = 0; at < unique.length && stored < remaining; at += ITEMS_PER_STATEMENT) {
    const slice = unique.slice(at, at + ITEMS_PER_STATEMENT);
    const known = await client.item.findMany({
      where: { jobId: job.id, sourceId, remoteId: { in: slice.map((i) => i.remoteId) } },
      select: { remoteId: true },
    });
    const seen = new Set(known.map((i) => i.remoteId));
    const fresh = slice.filter((i) => !seen.has(i.remoteId)).slice(0, remaining - stored);
    if (fresh.length === 0) continue;
    const archived = job.redownload ? new Map<string, string>() : await alreadyStored(client, job.userId, sourceId, fresh);
    const now = new Date();
    await insertRows(
      client,
      "Item",
      fresh.map((item) => {
        const assetId = archived.get(item.remoteId) ?? null;
        return {
          id: randomUUID(),
          jobId: job.id,
          sourceId,
          remoteId: item.remoteId,
          mediaType: item.mediaType,
          mediaUrl: item.mediaUrl,
          pageUrl: item.pageUrl ?? null,
          thumbnailUrl: item.thumbnailUrl ?? null,
          title: item.title ?? null,
          author: item.author ?? null,
          license: item.license ?? null,
          licenseUrl: item.licenseUrl ?? null,
          expectedBytes: item.expectedBytes === undefined ? null : BigInt(item.expectedBytes),
          md5: item.md5 ?? null,
          sha1: item.sha1 ?? null,
          trackingUrl: item.trackingUrl ?? null,
          status: assetId ? "skipped" : "pending",
          reason: assetId ? "Already in Assets (downloaded by an earlier job)" : null,
          attempts: 0,
          bytes: BigInt(0),
          assetId,
          createdAt: now,
          updatedAt: now,
        };
      }),
    );
    stored += fresh.length;
  }
  return stored;
}

/** The archive: media this user already stored from this source, by remote id → asset id. */
async function alreadyStored(client: Db, userId: string, sourceId: string, items: SourceItem[]) {
  if (items.length === 0) return new Map<string, string>();
  const rows = await client.item.findMany({
    where: { sourceId, remoteId: { in: items.map((i) => i.remoteId) }, assetId: { not: null }, job: { userId } },
    select: { remoteId: true, assetId: true },
  });
  return new Map(rows.map((row) => [row.remoteId, row.assetId as string]));
}

function dedupeByRemoteId(items: SourceItem[]) {
  const seen = new Set<string>();
  return items.filter((item) => !seen.has(item.remoteId) && seen.add(item.remoteId));
}

// Counters are recomputed from items (idempotent), at most this often while a batch runs.
const counterWrites = new WriteThrottle(500);
/** A batch stops starting new items after this long, so a step stays short (serverless limits, cheap retries). */
const BATCH_TIME_BUDGET_MS = 20_000;

/** Downloads the next batch of this source's pending items. */
export async function downloadBatch(client: Db, jobId: string, sourceId: string) {
  const job = await client.job.findUniqueOrThrow({ where: { id: jobId } });
  if (!isActiveJobStatus(job.status)) return { done: true, processed: 0 };
  const { batchSize, concurrency } = config().download;
  const items = await client.item.findMany({
    where: { jobId, sourceId, status: { in: ["pending", "downloading"] } },
    orderBy: { createdAt: "asc" },
    take: batchSize,
  });
  if (items.length === 0) return { done: true, processed: 0 };
  await client.jobSource.update({ where: jobSourceRow(jobId, sourceId), data: { status: "downloading" } });
  const writer = new OutcomeWriter(client, job, {
    afterFlush: () => (counterWrites.due(jobId) ? refreshCounters(client, jobId) : undefined),
  });
  const deadline = Date.now() + BATCH_TIME_BUDGET_MS;
  let processed = 0;
  const workFailure = await forEachConcurrent(items, concurrency, async (item) => {
    if (Date.now() > deadline || writer.failed) return; // the next step (or the step's retry) takes the rest
    if (!(await writer.jobIsActive())) return; // cancelled: stop at the item boundary
    await downloadItem(client, job, item, writer);
    processed++;
  }).then(
    () => undefined,
    (error: unknown) => error,
  );
  // Whatever was downloaded is recorded even when a worker failed; either failure fails the step.
  const writeFailure = await writer.close().then(
    () => undefined,
    (error: unknown) => error,
  );
  if (workFailure !== undefined && writeFailure !== undefined)
    throw new AggregateError([workFailure, writeFailure], errorMessage(workFailure));
  if (workFailure !== undefined || writeFailure !== undefined) throw workFailure ?? writeFailure;
  // finishSource refreshes them once more when the source is done.
  if (counterWrites.due(jobId)) await refreshCounters(client, jobId);
  const left = await client.item.count({ where: { jobId, sourceId, status: { in: ["pending", "downloading"] } } });
  // The writer's last transaction read the job's status: a cancel during the batch is known.
  return { done: left === 0 || !(await writer.jobIsActive()), processed };
}

/** Records a source's end: completed, or failed with the reason after its step gave up. */
export async function finishSource(client: Db, jobId: string, sourceId: string, failure?: string) {
  const job = await client.job.findUniqueOrThrow({ where: { id: jobId }, select: { status: true } });
  const status = failure ? "failed" : job.status === "cancelled" ? "cancelled" : "completed";
  await client.jobSource.update({
    where: jobSourceRow(jobId, sourceId),
    data: { status, error: failure ?? null, finishedAt: new Date(), message: null },
  });
  const name = sourceName(sourceId);
  if (failure) await recordJobEvent(client, jobId, "error", `${name} failed: ${failure}`, sourceId);
  else await recordJobEvent(client, jobId, "info", `${name} ${status}`, sourceId);
  await refreshCounters(client, jobId);
  return { status };
}

/**
 * Finishes the job when none of its sources is still to end; each source's run asks after
 * ending its own. Every such call comes after its own source's end was committed, so the last
 * one sees them all ended; finishJob's conditional update lets only one of them finish it.
 */
export async function finishJobWhenSourcesDone(client: Db, jobId: string) {
  const open = await client.jobSource.count({ where: { jobId, status: { notIn: FINISHED_SOURCE_STATUSES } } });
  if (open > 0) return { finished: false, openSources: open };
  const { status, changed } = await finishJob(client, jobId);
  return { finished: changed, status };
}

/** Sets the job's final status from its sources and items, unless it already ended (e.g. cancelled). */
export async function finishJob(client: Db, jobId: string) {
  const job = parseJobRow(await client.job.findUniqueOrThrow({ where: { id: jobId }, include: { sources: true } }));
  if (!isActiveJobStatus(job.status)) return { status: job.status, changed: false };
  const counts = await refreshCounters(client, jobId);
  const failedSources = job.sources.filter((s) => s.status === "failed");
  const ranSources = job.sources.filter((s) => s.status !== "failed" && s.status !== "skipped");
  let status: JobStatus = "completed";
  if (ranSources.length === 0) status = "failed";
  else if (failedSources.length > 0 || counts.failed > 0) status = "completed_with_errors";
  const error =
    status === "failed" ? job.sources.map((s) => `${sourceName(s.sourceId)}: ${s.error ?? s.message ?? s.status}`).join("; ") : null;
  // Only while it is still active: two runs finishing at once end it once.
  const { count } = await client.job.updateMany({
    where: { id: jobId, status: { in: ACTIVE_JOB_STATUSES } },
    data: { status, error, finishedAt: new Date(), currentItem: null },
  });
  if (count === 0) return { status: (await client.job.findUniqueOrThrow({ where: { id: jobId } })).status as JobStatus, changed: false };
  const summary = `${counts.downloaded} downloaded, ${counts.skipped} skipped, ${counts.failed} failed`;
  await recordJobEvent(client, jobId, status === "failed" ? "error" : "info", `Job ${status.replaceAll("_", " ")}: ${summary}`);
  return { status, changed: true };
}

/** The engine gave up on the run: the job fails with the reason, or (already ended) logs it. */
export async function failJob(client: Db, jobId: string, reason: string) {
  const job = await client.job.findUnique({ where: { id: jobId }, select: { status: true } });
  if (!job) return;
  if (!isActiveJobStatus(job.status)) {
    // E.g. the image analysis after the downloads: the job's outcome stands, the failure is still told.
    await recordJobEvent(client, jobId, "error", `Engine run failed after the job ended: ${reason}`);
    return;
  }
  await client.job.update({
    where: { id: jobId },
    data: { status: "failed", error: reason, finishedAt: new Date(), currentItem: null },
  });
  await recordJobEvent(client, jobId, "error", `Job failed: ${reason}`);
}
