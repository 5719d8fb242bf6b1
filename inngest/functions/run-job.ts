import { NonRetriableError } from "inngest";
import { inngest } from "@/inngest/client";
import { JOB_CANCELLED, JOB_REQUESTED, jobEventData } from "@/inngest/events";
import { analysePendingAssets } from "@/lib/assets/analysis";
import { db } from "@/lib/db";
import { downloadBatch, failJob, finishJob, finishSource, searchSourcePage, startJob } from "@/lib/jobs/run";
import { errorMessage } from "@/lib/log";
import { storage } from "@/lib/storage";
import { honourRateLimits } from "./rate-limits";

type Step = Parameters<Parameters<typeof inngest.createFunction>[1]>[0]["step"];

/**
 * One source of a job: search a page, download a batch, repeat until both are exhausted.
 * A source whose step still fails after its retries is marked failed; the others go on.
 */
async function runSource(step: Step, jobId: string, sourceId: string) {
  try {
    let cursor: string | null = null;
    let searching = true;
    for (let round = 0; ; round++) {
      if (searching) {
        const page: { done: boolean; nextCursor: string | null } = await step.run(`search ${sourceId} page ${round}`, () =>
          honourRateLimits(() => searchSourcePage(db(), jobId, sourceId, cursor, round)),
        );
        cursor = page.nextCursor;
        searching = !page.done;
      }
      const batch = await step.run(`download ${sourceId} batch ${round}`, () => downloadBatch(db(), jobId, sourceId));
      if (!searching && batch.done) break;
    }
    await step.run(`finish ${sourceId}`, () => finishSource(db(), jobId, sourceId));
  } catch (error) {
    await step.run(`fail ${sourceId}`, () => finishSource(db(), jobId, sourceId, errorMessage(error)));
  }
}

export const runJob = inngest.createFunction(
  {
    id: "run-job",
    name: "Run a Trawl job",
    triggers: [{ event: JOB_REQUESTED }],
    retries: 4,
    concurrency: [{ key: "event.data.jobId", limit: 1 }],
    cancelOn: [{ event: JOB_CANCELLED, match: "data.jobId" }],
    onFailure: async ({ event, error }) => {
      const payload = jobEventData.safeParse(event.data.event.data);
      if (!payload.success) throw new NonRetriableError(`Failed run of a malformed event: ${error.message}`);
      const { jobId } = payload.data;
      await failJob(db(), jobId, error.message);
    },
  },
  async ({ event, step, runId }) => {
    const payload = jobEventData.safeParse(event.data);
    if (!payload.success) throw new NonRetriableError(`Malformed ${JOB_REQUESTED} event: ${payload.error.message}`);
    const { jobId } = payload.data;
    const plan = await step.run("start", () => startJob(db(), jobId, runId));
    if (!plan.run) return plan;
    await Promise.all(plan.sourceIds.map((sourceId) => runSource(step, jobId, sourceId)));
    const finished = await step.run("finish", () => finishJob(db(), jobId));
    // The job is done for its user; perceptual hashes and video sizes follow, off the download path.
    for (let round = 0; ; round++) {
      const analysis = await step.run(`analyse files ${round}`, () => analysePendingAssets(db(), storage(), { jobId }));
      if (analysis.done) break;
    }
    return finished;
  },
);
