import { config } from "@/lib/config";
import { cleanupJobs } from "./cleanup";
import { runJob } from "./run-job";

// Cron triggers need a real Inngest server; with the offline engine boot.ts runs the cleanup.
export const functions = config().engine.mode === "offline" ? [runJob] : [runJob, cleanupJobs];
