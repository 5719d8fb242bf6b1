import { inngest } from "@/inngest/client";
import { config } from "@/lib/config";
import { db } from "@/lib/db";
import { runMaintenance } from "@/lib/maintenance";

/**
 * The periodic clean-up (old finished jobs, abandoned partial downloads, files left unanalysed),
 * every six hours. A schedule of the engine's, so it runs once per interval however many app
 * processes or instances there are (on every engine: Inngest's, and the offline one's cron).
 */
export const cleanupJobs = inngest.createFunction(
  { id: "cleanup-old-jobs", name: "Clean up old jobs and leftovers", triggers: [{ cron: "TZ=UTC 0 */6 * * *" }], retries: 2 },
  async ({ step }) => step.run("cleanup", () => runMaintenance(db(), config())),
);
