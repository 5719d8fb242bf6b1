import type { Db } from "@/lib/db";
import { errorMessage } from "@/lib/log";
import { JOB_REQUESTED } from "./engine-messages";
import { recordJobEvent } from "./events";

export type SendEvent = (event: { name: string; data: Record<string, unknown> }) => Promise<unknown>;

/**
 * Hands a persisted job to the engine. The job row must already exist. If the engine
 * does not take the event, the job is marked failed with the reason, so it never sits
 * "queued" with nothing behind it.
 */
export async function dispatchJob(client: Db, send: SendEvent, jobId: string, why: string) {
  await client.job.update({ where: { id: jobId }, data: { dispatchCount: { increment: 1 }, heartbeatAt: new Date() } });
  try {
    await send({ name: JOB_REQUESTED, data: { jobId } });
  } catch (error) {
    const reason = `The engine did not accept the job: ${errorMessage(error)}`;
    await client.job.update({
      where: { id: jobId },
      data: { status: "failed", error: reason, finishedAt: new Date(), currentItem: null },
    });
    await recordJobEvent(client, jobId, "error", reason);
    return { dispatched: false as const, reason };
  }
  await recordJobEvent(client, jobId, "info", why);
  return { dispatched: true as const };
}
