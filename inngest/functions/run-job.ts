import { NonRetriableError } from "inngest";
import { inngest } from "@/inngest/client";
import { JOB_CANCELLED, JOB_REQUESTED, jobEventData } from "@/lib/jobs/engine-messages";
import { db } from "@/lib/db";
import { orchestrateJob, type StepRunner } from "@/lib/jobs/orchestration";
import { failJob } from "@/lib/jobs/run";
import { storage } from "@/lib/storage";
import { honourRateLimits } from "./rate-limits";

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
    // Step results travel as JSON; every step of the orchestration returns plain JSON values.
    const run = ((name, body) => step.run(name, () => honourRateLimits(body))) as StepRunner;
    return orchestrateJob(run, db(), storage(), payload.data.jobId, runId);
  },
);
