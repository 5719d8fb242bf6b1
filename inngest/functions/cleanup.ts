import { inngest } from "@/inngest/client";
import { config } from "@/lib/config";
import { db } from "@/lib/db";
import { runMaintenance } from "@/lib/maintenance";

/** Daily removal of old finished jobs (their assets stay). The offline engine has no cron: boot.ts schedules it there. */
export const cleanupJobs = inngest.createFunction(
  { id: "cleanup-old-jobs", name: "Remove old finished jobs", triggers: [{ cron: "TZ=UTC 0 3 * * *" }], retries: 2 },
  async ({ step }) => step.run("cleanup", () => runMaintenance(db(), config())),
);
