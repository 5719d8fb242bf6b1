import { analysePendingAssets } from "@/lib/assets/analysis";
import type { Db } from "@/lib/db";
import { errorMessage } from "@/lib/log";
import type { Storage } from "@/lib/storage";
import { downloadBatch, finishJob, finishSource, searchSourcePage, startJob } from "./run";

// The order of a job's steps, in one place: the Inngest function runs it with step.run
// (each step retried and memoised by the engine), the tests with each body run in place.

/** Runs one named unit of work; the engine retries it and replays its result on later calls. */
export type StepRunner = <T>(name: string, body: () => Promise<T>) => Promise<T>;

/** Runs each body at once, in this process: the tests' engine. */
export const runInPlace: StepRunner = (_name, body) => body();

/**
 * One source of a job: search a page, download a batch, repeat until both are exhausted.
 * A source whose step still fails after its retries is marked failed; the others go on.
 */
async function runSource(step: StepRunner, client: Db, jobId: string, sourceId: string) {
  try {
    let cursor: string | null = null;
    let searching = true;
    for (let round = 0; ; round++) {
      if (searching) {
        const page = await step(`search ${sourceId} page ${round}`, () => searchSourcePage(client, jobId, sourceId, cursor, round));
        cursor = page.nextCursor;
        searching = !page.done;
      }
      const batch = await step(`download ${sourceId} batch ${round}`, () => downloadBatch(client, jobId, sourceId));
      if (!searching && batch.done) break;
    }
    await step(`finish ${sourceId}`, () => finishSource(client, jobId, sourceId));
  } catch (error) {
    await step(`fail ${sourceId}`, () => finishSource(client, jobId, sourceId, errorMessage(error)));
  }
}

/** A whole job: start, every source side by side, finish, then the analysis of its files. */
export async function orchestrateJob(step: StepRunner, client: Db, store: Storage, jobId: string, runId: string) {
  const plan = await step("start", () => startJob(client, jobId, runId));
  if (!plan.run) return plan;
  await Promise.all(plan.sourceIds.map((sourceId) => runSource(step, client, jobId, sourceId)));
  const finished = await step("finish", () => finishJob(client, jobId));
  // The job is done for its user; perceptual hashes and video sizes follow, off the download path.
  for (let round = 0; ; round++) {
    const analysis = await step(`analyse files ${round}`, () => analysePendingAssets(client, store, { jobId }));
    if (analysis.done) break;
  }
  return finished;
}
