import { NonRetriableError } from "inngest";
import { inngest } from "@/inngest/client";
import { JOB_CANCELLED, JOB_REQUESTED, jobEventData } from "@/lib/jobs/engine-messages";
import { db } from "@/lib/db";
import { runJobStart } from "@/lib/jobs/orchestration";
import { failJob } from "@/lib/jobs/run";
import { handoffBySteps, stepRunner } from "./steps";

/** A job's own run: starts it and sends each source to its run (run-source.ts). */
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
      await failJob(db(), payload.data.jobId, error.message);
    },
  },
  async ({ event, step, runId }) => {
    const payload = jobEventData.safeParse(event.data);
    if (!payload.success) throw new NonRetriableError(`Malformed ${JOB_REQUESTED} event: ${payload.error.message}`);
    return runJobStart(stepRunner(step), db(), payload.data.jobId, runId, handoffBySteps(step));
  },
);
