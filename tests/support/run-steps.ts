import { analysePendingAssets } from "@/lib/assets/analysis";
import { db } from "@/lib/db";
import { storage } from "@/lib/storage";
import { downloadBatch, finishJob, finishSource, searchSourcePage, startJob } from "@/lib/jobs/run";

/** What the run-job function does, step by step, without the engine. */
export async function runSteps(jobId: string) {
  const plan = await startJob(db(), jobId, "test-run");
  if (!plan.run) return plan;
  for (const sourceId of plan.sourceIds) {
    let cursor: string | null = null;
    let searching = true;
    for (let round = 0; ; round++) {
      if (searching) {
        const page = await searchSourcePage(db(), jobId, sourceId, cursor, round);
        cursor = page.nextCursor;
        searching = !page.done;
      }
      const batch = await downloadBatch(db(), jobId, sourceId);
      if (!searching && batch.done) break;
    }
    await finishSource(db(), jobId, sourceId);
  }
  const finished = await finishJob(db(), jobId);
  for (;;) {
    const analysis = await analysePendingAssets(db(), storage(), { jobId });
    if (analysis.done) break;
  }
  return finished;
}
