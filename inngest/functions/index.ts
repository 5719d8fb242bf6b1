import { cleanupJobs } from "./cleanup";
import { runJob } from "./run-job";

export const functions = [runJob, cleanupJobs];
