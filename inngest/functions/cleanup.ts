import { inngest } from "@/inngest/client";
import { FUNCTION_IDS } from "@/inngest/function-ids";
import { config } from "@/lib/config";
import { db } from "@/lib/db";
import { onceAcrossProcesses } from "@/lib/db/lease";
import { runMaintenance } from "@/lib/maintenance";

/**
 * The periodic clean-up (old finished jobs, abandoned partial downloads, files left unanalysed),
 * every six hours. A schedule of the engine's, so it runs once per interval however many app
 * processes or instances there are (on every engine: Inngest's, and the offline one's cron).
 */
const CLEANUP_INTERVAL_MS = 6 * 60 * 60_000;

export const cleanupJobs = inngest.createFunction(
  { id: FUNCTION_IDS.cleanup, name: "Clean up old jobs and leftovers", triggers: [{ cron: "TZ=UTC 0 */6 * * *" }], retries: 2 },
  // Several engines (an offline one per web process) may each fire the schedule: the lease lets one run it.
  async ({ step }) =>
    step.run("cleanup", async () => {
      const done = await onceAcrossProcesses(db(), "cleanup", CLEANUP_INTERVAL_MS * 0.9, () => runMaintenance(db(), config()));
      return done ?? { skipped: "another process holds the clean-up's lease" };
    }),
);
