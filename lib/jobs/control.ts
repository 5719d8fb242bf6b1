import type { Db } from "@/lib/db";
import { errorMessage } from "@/lib/log";
import { dispatchJob, type SendEvent } from "./dispatch";
import { JOB_CANCELLED } from "./engine-events";
import { recordJobEvent } from "./events";
import { isActiveJobStatus } from "./status";

export class JobActionError extends Error {
  constructor(
    message: string,
    readonly status: 404 | 409,
  ) {
    super(message);
  }
}

/**
 * Cancels an active job. The database change is what stops the work (every step checks
 * the job's status at each item); the engine event only ends the run sooner.
 */
export async function cancelJob(client: Db, send: SendEvent, jobId: string) {
  const job = await client.job.findUnique({ where: { id: jobId } });
  if (!job) throw new JobActionError("Job not found", 404);
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
    await recordJobEvent(client, jobId, "warn", `The engine was not told about the cancel (${errorMessage(error)}); the run stops at its next item`);
  }
}

/** Puts a failed or cancelled job back in the queue; items already stored are kept. */
export async function retryJob(client: Db, send: SendEvent, jobId: string) {
  const job = await client.job.findUnique({ where: { id: jobId } });
  if (!job) throw new JobActionError("Job not found", 404);
  if (isActiveJobStatus(job.status) || job.status === "completed") throw new JobActionError(`A ${job.status} job cannot be retried`, 409);
  await client.$transaction(async (tx) => {
    await tx.job.update({ where: { id: jobId }, data: { status: "queued", error: null, finishedAt: null, dispatchCount: 0 } });
    await tx.jobSource.updateMany({ where: { jobId, status: { in: ["failed", "cancelled"] } }, data: { status: "queued", error: null, finishedAt: null } });
    await tx.item.updateMany({ where: { jobId, status: "failed" }, data: { status: "pending", reason: null, attempts: 0 } });
    await tx.item.updateMany({ where: { jobId, status: "skipped", reason: "Job cancelled" }, data: { status: "pending", reason: null } });
    await recordJobEvent(tx, jobId, "info", "Retry requested");
  });
  return dispatchJob(client, send, jobId, "Sent to the engine again");
}
