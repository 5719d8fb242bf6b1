import { analysePendingAssets } from "@/lib/assets/analysis";
import type { Db } from "@/lib/db";
import { errorMessage } from "@/lib/log";
import type { Storage } from "@/lib/storage";
import type { SourceRunRequest } from "./engine-messages";
import { downloadBatch, finishJobWhenSourcesDone, finishSource, searchSourcePage, startJob } from "./run";

// The order of a job's steps, in one place. A job fans out, so no run of the engine grows with
// the job (real Inngest caps a run at 1,000 steps and 32 MB of state):
// - the job's run starts it and hands each source to a run of its own (one event each);
// - a source's run does at most ROUNDS_PER_RUN rounds (a search page and a download batch each)
//   and, when its source is not done by then, goes on in a new run with its progress in the event;
// - the source run that finds every source of the job ended finishes the job, and hands the
//   analysis of its files to runs of their own, ANALYSIS_ROUNDS_PER_RUN rounds each.
// The Inngest functions run this with step.run and step.sendEvent (each step retried and
// memoised by the engine); the tests run each body in place (runJobInPlace).

/** Runs one named unit of work; the engine retries it and replays its result on later calls. */
export type StepRunner = <T>(name: string, body: () => Promise<T>) => Promise<T>;

/** Runs each body at once, in this process: the tests' engine. */
export const runInPlace: StepRunner = (_name, body) => body();

/** At most 2 steps a round: a source run stays under 2 × 200 + 4 steps, whatever the source and the cap. */
export const ROUNDS_PER_RUN = 200;
/** 100 files a round (lib/assets/analysis.ts): 20,000 files per analysis run. */
export const ANALYSIS_ROUNDS_PER_RUN = 200;

/** Where the next runs come from: events sent by a step (step.sendEvent), or a queue in the tests. */
export interface Handoff {
  sources(requests: SourceRunRequest[]): Promise<void>;
  analysis(request: { jobId: string; round: number }): Promise<void>;
}

export const firstRound = (jobId: string, sourceId: string): SourceRunRequest => ({
  jobId,
  sourceId,
  lane: `${jobId}/${sourceId}`,
  cursor: null,
  round: 0,
  searching: true,
});

/** The job's own run: start it, and give every runnable source its run. */
export async function runJobStart(step: StepRunner, client: Db, jobId: string, runId: string, handoff: Handoff) {
  const plan = await step("start", () => startJob(client, jobId, runId));
  if (!plan.run) return plan;
  if (plan.sourceIds.length === 0) {
    // Nothing left to run (every source skipped or already ended): the job ends here.
    const ended = await step("finish", () => finishJobWhenSourcesDone(client, jobId));
    if (ended.finished) await handoff.analysis({ jobId, round: 0 });
    return { run: true as const, sources: 0 };
  }
  await handoff.sources(plan.sourceIds.map((sourceId) => firstRound(jobId, sourceId)));
  return { run: true as const, sources: plan.sourceIds.length };
}

/**
 * One run of one source: search a page, download a batch, repeat until both are exhausted or
 * ROUNDS_PER_RUN rounds are done (then a new run goes on from here). A source whose step still
 * fails after its retries is marked failed; the others go on. The run that ends the last
 * source finishes the job.
 */
export async function runSourceRounds(step: StepRunner, client: Db, request: SourceRunRequest, handoff: Handoff) {
  const { jobId, sourceId, lane } = request;
  let { cursor, round, searching } = request;
  try {
    for (const last = round + ROUNDS_PER_RUN; ; round++) {
      if (round === last) {
        await handoff.sources([{ jobId, sourceId, lane, cursor, round, searching }]);
        return { continued: true };
      }
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
  const ended = await step("finish the job if this was its last source", () => finishJobWhenSourcesDone(client, jobId));
  if (ended.finished) await handoff.analysis({ jobId, round: 0 });
  return { continued: false };
}

/** Perceptual hashes and video sizes of a finished job's files, off the download path; bounded per run like the sources. */
export async function runAnalysisRounds(
  step: StepRunner,
  client: Db,
  store: Storage,
  request: { jobId: string; round: number },
  handoff: Handoff,
) {
  for (let round = request.round; ; round++) {
    if (round === request.round + ANALYSIS_ROUNDS_PER_RUN) {
      await handoff.analysis({ jobId: request.jobId, round });
      return { continued: true };
    }
    const analysis = await step(`analyse files ${round}`, () => analysePendingAssets(client, store, { jobId: request.jobId }));
    if (analysis.done) return { continued: false };
  }
}

/**
 * A whole job in this process, each run's steps through `step`, its handoffs queued and run
 * (sources side by side, as the engine would): what the tests run instead of an engine.
 */
export async function runJobInPlace(step: StepRunner, client: Db, store: Storage, jobId: string, runId: string) {
  let sources: SourceRunRequest[] = [];
  let analyses: Array<{ jobId: string; round: number }> = [];
  const handoff: Handoff = {
    sources: async (requests) => void sources.push(...requests),
    analysis: async (request) => void analyses.push(request),
  };
  const plan = await runJobStart(step, client, jobId, runId, handoff);
  if (!plan.run) return plan;
  while (sources.length > 0) {
    const batch = sources;
    sources = [];
    await Promise.all(batch.map((request) => runSourceRounds(step, client, request, handoff)));
  }
  while (analyses.length > 0) {
    const batch = analyses;
    analyses = [];
    for (const request of batch) await runAnalysisRounds(step, client, store, request, handoff);
  }
  const { status } = await client.job.findUniqueOrThrow({ where: { id: jobId }, select: { status: true } });
  return { status };
}
