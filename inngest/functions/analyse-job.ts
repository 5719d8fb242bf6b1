import { inngest } from "@/inngest/client";
import { FUNCTION_IDS } from "@/inngest/function-ids";
import { db } from "@/lib/db";
import { ANALYSIS_REQUESTED, analysisRequest } from "@/lib/jobs/engine-messages";
import { runAnalysisRounds } from "@/lib/jobs/orchestration";
import { failJob } from "@/lib/jobs/run";
import { storage } from "@/lib/storage";
import { handoffBySteps, payloadOf, stepRunner } from "./steps";

/** The analysis of a finished job's files (perceptual hashes, videos' size and length), bounded per run. */
export const analyseJob = inngest.createFunction(
  {
    id: FUNCTION_IDS.analyseJob,
    name: "Analyse a Trawl job's files",
    triggers: [{ event: ANALYSIS_REQUESTED }],
    retries: 4,
    concurrency: [{ key: "event.data.jobId", limit: 1 }],
    onFailure: async ({ event, error }) => {
      const payload = payloadOf(analysisRequest, event.data.event.data, `Failed run of a malformed event (${error.message})`);
      // The job has ended: failJob records the failure on its log without changing its outcome.
      await failJob(db(), payload.jobId, `analysis of its files: ${error.message}`);
    },
  },
  async ({ event, step }) => {
    const payload = payloadOf(analysisRequest, event.data, `Malformed ${ANALYSIS_REQUESTED} event`);
    return runAnalysisRounds(stepRunner(step), db(), storage(), payload, handoffBySteps(step));
  },
);
