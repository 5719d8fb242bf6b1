import type { Config } from "@/lib/config";
import type { Db } from "@/lib/db";
import { removeStaleParts } from "@/lib/download/stale-parts";
import { cleanupOldJobs } from "@/lib/jobs/cleanup";

const STALE_PART_AGE_MS = 7 * 86_400_000;

/** The periodic clean-up: old finished jobs, and partial downloads nobody came back for. */
export async function runMaintenance(client: Db, cfg: Config) {
  const jobs = await cleanupOldJobs(client, { olderThanDays: cfg.cleanup.afterDays });
  const parts = await removeStaleParts(cfg.tmpDir, STALE_PART_AGE_MS);
  return { ...jobs, removedPartFiles: parts.length };
}
