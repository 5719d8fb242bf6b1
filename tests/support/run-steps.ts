import { db } from "@/lib/db";
import { runInPlace, runJobInPlace } from "@/lib/jobs/orchestration";
import { storage } from "@/lib/storage";

/** A job run by the production orchestration, each run's step bodies in place (no engine, no retries). */
export function runSteps(jobId: string) {
  return runJobInPlace(runInPlace, db(), storage(), jobId, "test-run");
}
