import { db } from "@/lib/db";
import { orchestrateJob, runInPlace } from "@/lib/jobs/orchestration";
import { storage } from "@/lib/storage";

/** A job run by the production orchestration, each step's body run in place (no engine, no retries). */
export function runSteps(jobId: string) {
  return orchestrateJob(runInPlace, db(), storage(), jobId, "test-run");
}
