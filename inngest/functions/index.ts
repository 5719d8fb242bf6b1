import { analyseJob } from "./analyse-job";
import { cleanupJobs } from "./cleanup";
import { runJob } from "./run-job";
import { runSource } from "./run-source";

export const functions = [runJob, runSource, analyseJob, cleanupJobs];
