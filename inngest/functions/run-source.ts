import { inngest } from "@/inngest/client";
import { FUNCTION_IDS } from "@/inngest/function-ids";
import { db } from "@/lib/db";
import { JOB_CANCELLED, SOURCE_REQUESTED, sourceRunRequest } from "@/lib/jobs/engine-messages";
import { runSourceRounds } from "@/lib/jobs/orchestration";
import { finishJobWhenSourcesDone, finishSource } from "@/lib/jobs/run";
import { handoffBySteps, payloadOf, stepRunner } from "./steps";

/** One source of a job, up to ROUNDS_PER_RUN rounds per run (lib/jobs/orchestration.ts). */
export const runSource = inngest.createFunction(
  {
    id: FUNCTION_IDS.runSource,
    name: "Run one source of a Trawl job",
    triggers: [{ event: SOURCE_REQUESTED }],
    retries: 4,
    concurrency: [{ key: "event.data.lane", limit: 1 }],
    cancelOn: [{ event: JOB_CANCELLED, match: "data.jobId" }],
    onFailure: async ({ event, error }) => {
      const payload = payloadOf(sourceRunRequest, event.data.event.data, `Failed run of a malformed event (${error.message})`);
      const { jobId, sourceId } = payload;
      await finishSource(db(), jobId, sourceId, error.message);
      await finishJobWhenSourcesDone(db(), jobId);
    },
  },
  async ({ event, step }) => {
    const payload = payloadOf(sourceRunRequest, event.data, `Malformed ${SOURCE_REQUESTED} event`);
    return runSourceRounds(stepRunner(step), db(), payload, handoffBySteps(step));
  },
);
