import type { Config } from "@/lib/config";
import type { Db } from "@/lib/db";
import { analysePendingAssets } from "@/lib/assets/analysis";
import { removeStaleParts } from "@/lib/download/stale-parts";
import { storage } from "@/lib/storage";
import { cleanupOldJobs } from "@/lib/jobs/cleanup";

const STALE_PART_AGE_MS = 7 * 86_400_000;
/** Files a job's own analysis should have reached by now (it runs right after the job's downloads). */
const UNANALYSED_AGE_MS = 60 * 60_000;
const MAX_ANALYSIS_ROUNDS = 20;

/** Analyses (perceptual hashes, video sizes) a crash or a failed run left out, a bounded number per clean-up. */
async function analyseLeftovers(client: Db) {
  const createdBefore = new Date(Date.now() - UNANALYSED_AGE_MS);
  let analysed = 0;
  for (let round = 0; round < MAX_ANALYSIS_ROUNDS; round++) {
    const step = await analysePendingAssets(client, storage(), { createdBefore });
    analysed += step.analysed;
    if (step.done) break;
  }
  return analysed;
}

/** The periodic clean-up: old finished jobs, partial downloads nobody came back for, unanalysed files. */
export async function runMaintenance(client: Db, cfg: Config) {
  const jobs = await cleanupOldJobs(client, { olderThanDays: cfg.cleanup.afterDays });
  const parts = await removeStaleParts(cfg.tmpDir, STALE_PART_AGE_MS);
  const analysedFiles = await analyseLeftovers(client);
  return { ...jobs, removedPartFiles: parts.length, analysedFiles };
}
