import { describe, expect, it } from "vitest";
import { RUN_LIMITS } from "@/engine/run-driver";
import { db } from "@/lib/db";
import type { SourceRunRequest } from "@/lib/jobs/engine-messages";
import { runAnalysisRounds, runJobStart, runSourceRounds, type Handoff, type StepRunner } from "@/lib/jobs/orchestration";
import { sources } from "@/lib/sources/registry";
import { storage } from "@/lib/storage";

// A job over every catalog entry at the largest cap (5,000 per source) in the worst case for
// the step count: every search page yields one item, so each source needs 5,000 rounds, and
// every file is analysed. The orchestration's real code runs; its step bodies are replaced by
// what they would answer, and every run's steps are counted as the engine counts them.
const CAP = 5_000;
const FILES_PER_ANALYSIS_ROUND = 100;

type Run = { name: string; steps: number; stateBytes: number };

function countingRunner(run: Run, answer: (name: string) => unknown): StepRunner {
  return async <T>(name: string) => {
    const result = answer(name);
    run.steps += 1;
    run.stateBytes += Buffer.byteLength(JSON.stringify({ data: result ?? null }));
    return result as T;
  };
}

describe("a job over the whole catalog within Inngest's limits", () => {
  it(`keeps every run under ${RUN_LIMITS.steps} steps and its state far under ${RUN_LIMITS.stateBytes / 1024 / 1024} MB`, async () => {
    const runs: Run[] = [];
    const pendingSources: SourceRunRequest[] = [];
    const pendingAnalyses: Array<{ jobId: string; round: number }> = [];
    let open = sources.length;
    const handoff: Handoff = {
      sources: async (requests) => {
        // One sendEvent step of the run that hands over.
        runs.at(-1)!.steps += 1;
        pendingSources.push(...requests);
      },
      analysis: async (request) => {
        runs.at(-1)!.steps += 1;
        pendingAnalyses.push(request);
      },
    };
    const newRun = (name: string) => {
      const run = { name, steps: 0, stateBytes: 0 };
      runs.push(run);
      return run;
    };

    const jobRun = newRun("job");
    await runJobStart(
      countingRunner(jobRun, () => ({ run: true, sourceIds: sources.map((s) => s.id) })),
      db(),
      "job-1",
      "run-1",
      handoff,
    );
    expect(pendingSources).toHaveLength(sources.length);

    while (pendingSources.length > 0) {
      const request = pendingSources.shift()!;
      const run = newRun(`source ${request.sourceId} from round ${request.round}`);
      const answer = (name: string) => {
        const round = Number(/ (\d+)$/.exec(name)?.[1] ?? -1);
        if (name.startsWith("search ")) return { done: round + 1 >= CAP, nextCursor: round + 1 >= CAP ? null : `${round + 1}` };
        if (name.startsWith("download ")) return { done: round + 1 >= CAP, processed: 1 };
        if (name.startsWith("finish the job")) return { finished: --open === 0 };
        return { status: "completed" };
      };
      await runSourceRounds(countingRunner(run, answer), db(), request, handoff);
    }
    expect(pendingAnalyses).toEqual([{ jobId: "job-1", round: 0 }]);

    const files = sources.length * CAP;
    while (pendingAnalyses.length > 0) {
      const request = pendingAnalyses.shift()!;
      const run = newRun(`analysis from round ${request.round}`);
      const answer = (name: string) => {
        const round = Number(/ (\d+)$/.exec(name)?.[1]);
        return { done: (round + 1) * FILES_PER_ANALYSIS_ROUND >= files, analysed: FILES_PER_ANALYSIS_ROUND, failed: 0 };
      };
      await runAnalysisRounds(countingRunner(run, answer), db(), storage(), request, handoff);
    }

    const largest = runs.reduce((a, b) => (b.steps > a.steps ? b : a));
    const fattest = runs.reduce((a, b) => (b.stateBytes > a.stateBytes ? b : a));
    console.log(
      `whole catalog (${sources.length} sources) at ${CAP} per source, one item per page: ${runs.length} runs; ` +
        `most steps in one run ${largest.steps} (${largest.name}); largest step state ${(fattest.stateBytes / 1024).toFixed(0)} KB (${fattest.name})`,
    );
    expect(largest.steps).toBeLessThanOrEqual(RUN_LIMITS.steps);
    expect(fattest.stateBytes).toBeLessThan(RUN_LIMITS.stateBytes / 8);
    // Every source ran all its rounds and the job finished once: nothing was lost on the way.
    expect(runs.filter((r) => r.name.startsWith("source ")).length).toBe(sources.length * Math.ceil(CAP / 200));
  });
});
