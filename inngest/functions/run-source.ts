import { NonRetriableError } from "inngest";
import { inngest } from "@/inngest/client";
import { db } from "@/lib/db";
import { JOB_CANCELLED, SOURCE_REQUESTED, sourceRunRequest } from "@/lib/jobs/engine-messages";
import { runSourceRounds } from "@/lib/jobs/orchestration";
import { finishJobWhenSourcesDone, finishSource } from "@/lib/jobs/run";
import { handoffBySteps, stepRunner } from "./steps";

/** One source of a job, up to ROUNDS_PER_RUN rounds per run (lib/jobs/orchestration.ts). */
export const runSource = inngest.createFunction(
  {
    id: "run-source",
    name: "Run one source of a Trawl job",
    triggers: [{ event: SOURCE_REQUESTED }],
    retries: 4,
    concurrency: [{ key: "event.data.lane", limit: 1 }],
    cancelOn: [{ event: JOB_CANCELLED, match: "data.jobId" }],
    onFailure: async ({ event, error }) => {
      const payload = sourceRunRequest.safeParse(event.data.event.data);
      if (!payload.success) throw new NonRetriableError(`Failed run of a malformed event: ${error.message}`);
      const { jobId, sourceId } = payload.data;
      await finishSource(db(), jobId, sourceId, error.message);
      await finishJobWhenSourcesDone(db(), jobId);
    },
  },
  async ({ event, step }) => {
    const payload = sourceRunRequest.safeParse(event.data);
    if (!payload.success) throw new NonRetriableError(`Malformed ${SOURCE_REQUESTED} event: ${payload.error.message}`);
    return runSourceRounds(stepRunner(step), db(), payload.data, handoffBySteps(step));
  },
);
