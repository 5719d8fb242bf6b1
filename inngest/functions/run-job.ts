import { inngest } from "@/inngest/client";
import { FUNCTION_IDS } from "@/inngest/function-ids";
import { JOB_CANCELLED, JOB_REQUESTED, jobEventData } from "@/lib/jobs/engine-messages";
import { db } from "@/lib/db";
import { runJobStart } from "@/lib/jobs/orchestration";
import { failJob } from "@/lib/jobs/run";
import { handoffBySteps, payloadOf, stepRunner } from "./steps";

/** A job's own run: starts it and sends each source to its run (run-source.ts). */
export const runJob = inngest.createFunction(
  {
    id: FUNCTION_IDS.runJob,
    name: "Run a Trawl job",
    triggers: [{ event: JOB_REQUESTED }],
    retries: 4,
    concurrency: [{ key: "event.data.jobId", limit: 1 }],
    cancelOn: [{ event: JOB_CANCELLED, match: "data.jobId" }],
    onFailure: async ({ event, error }) => {
      const payload = payloadOf(jobEventData, event.data.event.data, `Failed run of a malformed event (${error.message})`);
      await failJob(db(), payload.jobId, error.message);
    },
  },
  async ({ event, step, runId }) => {
    const payload = payloadOf(jobEventData, event.data, `Malformed ${JOB_REQUESTED} event`);
    return runJobStart(stepRunner(step), db(), payload.jobId, runId, handoffBySteps(step));
  },
);
