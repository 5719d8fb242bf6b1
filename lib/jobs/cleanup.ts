import type { Db } from "@/lib/db";
import { log } from "@/lib/log";
import { ACTIVE_JOB_STATUSES } from "./status";

/**
 * Removes finished jobs older than `olderThanDays` with their items and events. Their
 * assets stay in the library (an asset only remembers the id of the job that stored it).
 */
export async function cleanupOldJobs(client: Db, options: { olderThanDays: number; now?: Date }) {
  const cutoff = new Date((options.now ?? new Date()).getTime() - options.olderThanDays * 86_400_000);
  const where = { status: { notIn: ACTIVE_JOB_STATUSES }, createdAt: { lt: cutoff } };
  const { count } = await client.job.deleteMany({ where });
  const report = { removedJobs: count, olderThan: cutoff.toISOString() };
  log.info("cleanup removed old jobs", report);
  return report;
}
