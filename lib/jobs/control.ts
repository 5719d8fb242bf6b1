import { z } from "zod";
import type { Db } from "@/lib/db";
import { deleteAsset } from "@/lib/assets/queries";
import type { Storage } from "@/lib/storage/types";
import { errorMessage, log } from "@/lib/log";
import { createJob } from "./create";
import { dispatchJob, type SendEvent } from "./dispatch";
import { JOB_CANCELLED } from "./engine-messages";
import { recordJobEvent } from "./events";
import { parseJobRow } from "./job-row";
import { isActiveJobStatus } from "./status";

export class JobActionError extends Error {
  constructor(
    message: string,
    readonly status: 404 | 409,
  ) {
    super(message);
  }
}

/** A job action's result, or its expected refusal (404/409) with the reason; any other failure is thrown. */
export async function attemptJobAction<T>(action: () => Promise<T>) {
  try {
    return { ok: true as const, result: await action() };
  } catch (error) {
    if (error instanceof JobActionError) return { ok: false as const, status: error.status, message: error.message };
    throw error;
  }
}

/** The user's job; another user's job is "not found", exactly like one that does not exist. */
async function ownJob(client: Db, userId: string, jobId: string) {
  const job = await client.job.findFirst({ where: { id: jobId, userId } });
  if (!job) throw new JobActionError("Job not found", 404);
  return job;
}

/**
 * Cancels an active job. The database change is what stops the work (every step checks
 * the job's status at each item); the engine event only ends the run sooner.
 */
export async function cancelJob(client: Db, send: SendEvent, userId: string, jobId: string) {
  const job = await ownJob(client, userId, jobId);
  if (!isActiveJobStatus(job.status)) throw new JobActionError(`Job is already ${job.status}`, 409);
  await client.$transaction(async (tx) => {
    await tx.job.update({
      where: { id: jobId },
      data: { status: "cancelled", finishedAt: new Date(), currentItem: null },
    });
    await tx.jobSource.updateMany({
      where: { jobId, status: { in: ["queued", "searching", "downloading"] } },
      data: { status: "cancelled", finishedAt: new Date() },
    });
    await tx.item.updateMany({ where: { jobId, status: "pending" }, data: { status: "skipped", reason: "Job cancelled" } });
    await recordJobEvent(tx, jobId, "warn", "Cancelled by user");
  });
  try {
    await send({ name: JOB_CANCELLED, data: { jobId } });
  } catch (error) {
    await recordJobEvent(
      client,
      jobId,
      "warn",
      `The engine was not told about the cancel (${errorMessage(error)}); the run stops at its next item`,
    );
  }
}

/** Puts a failed or cancelled job back in the queue; items already stored are kept. */
export async function retryJob(client: Db, send: SendEvent, userId: string, jobId: string) {
  const job = await ownJob(client, userId, jobId);
  if (isActiveJobStatus(job.status) || job.status === "completed") throw new JobActionError(`A ${job.status} job cannot be retried`, 409);
  await client.$transaction(async (tx) => {
    await tx.job.update({ where: { id: jobId }, data: { status: "queued", error: null, finishedAt: null, dispatchCount: 0 } });
    const withFailedItems = await tx.item.findMany({
      where: { jobId, status: "failed" },
      distinct: ["sourceId"],
      select: { sourceId: true },
    });
    await tx.jobSource.updateMany({
      where: { jobId, OR: [{ status: { in: ["failed", "cancelled"] } }, { sourceId: { in: withFailedItems.map((i) => i.sourceId) } }] },
      data: { status: "queued", error: null, finishedAt: null },
    });
    await tx.item.updateMany({ where: { jobId, status: "failed" }, data: { status: "pending", reason: null, attempts: 0 } });
    await tx.item.updateMany({ where: { jobId, status: "skipped", reason: "Job cancelled" }, data: { status: "pending", reason: null } });
    await recordJobEvent(tx, jobId, "info", "Retry requested");
  });
  return dispatchJob(client, send, jobId, "Sent to the engine again");
}

/** Starts a new job with the same parameters; media already stored is skipped (the archive). */
export async function rerunJob(client: Db, send: SendEvent, userId: string, jobId: string) {
  const job = parseJobRow(await ownJob(client, userId, jobId));
  const sources = await client.jobSource.findMany({ where: { jobId }, select: { sourceId: true } });
  return createJob(client, send, userId, {
    query: job.query,
    sources: sources.map((s) => s.sourceId),
    mediaTypes: job.mediaTypes,
    maxItems: job.maxItems,
    safeSearch: job.safeSearch,
    redownload: false,
    targetUrls: job.targetUrls,
  });
}

/**
 * Deletes a finished job, its items and events; with `withAssets` also the assets it
 * stored (and their files, when no other asset row shares them).
 */
export async function deleteJob(client: Db, store: Storage, userId: string, jobId: string, options: { withAssets: boolean }) {
  const job = await ownJob(client, userId, jobId);
  if (isActiveJobStatus(job.status)) throw new JobActionError("Cancel the job before deleting it", 409);
  let assets = 0;
  if (options.withAssets) {
    const owned = await client.asset.findMany({ where: { jobId, userId }, select: { id: true } });
    for (const asset of owned) if (await deleteAsset(client, store, userId, asset.id)) assets++;
  }
  await client.job.delete({ where: { id: jobId } });
  log.info("job deleted", { jobId, assets });
  return { deleted: true, assets };
}

export const bulkAction = z.object({
  action: z.enum(["cancel", "delete", "delete-with-assets"]),
  ids: z.array(z.string().min(1).max(64)).min(1).max(500),
});

/** Applies one action to many jobs; each job's outcome is reported, none is silently dropped. */
export async function bulkJobs(client: Db, send: SendEvent, store: Storage, userId: string, request: z.infer<typeof bulkAction>) {
  const results: Array<{ jobId: string; ok: boolean; message?: string }> = [];
  for (const jobId of request.ids) {
    const outcome = await attemptJobAction<unknown>(() =>
      request.action === "cancel"
        ? cancelJob(client, send, userId, jobId)
        : deleteJob(client, store, userId, jobId, { withAssets: request.action === "delete-with-assets" }),
    );
    results.push(outcome.ok ? { jobId, ok: true } : { jobId, ok: false, message: outcome.message });
  }
  return results;
}
