import { describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { jobWorld } from "@/tests/support/job-world";
import { ownerId } from "@/tests/support/users";
import { createJob } from "./create";
import { createJobInput } from "./input";
import { recoverJobs } from "./recovery";

const world = jobWorld({ site: false });

async function runningJob(engineRunId: string, heartbeatAgoMs: number) {
  const input = createJobInput.parse({ sources: ["direct-links"], maxItems: 5, targetUrls: ["https://example.org/a.png"] });
  const { jobId } = await createJob(db(), world.intake.send, await ownerId(), input);
  await db().job.update({
    where: { id: jobId },
    data: { status: "running", engineRunId, heartbeatAt: new Date(Date.now() - heartbeatAgoMs) },
  });
  return jobId;
}

describe("the recovery sweep with several engines on one database", () => {
  it("judges its own engine's jobs by their runs, and other engines' jobs by their heartbeat", async () => {
    await db().job.deleteMany();
    const ownLost = await runningJob("here:3000/run-1", 60_000); // its run is gone (a restart): dispatched again
    const ownLive = await runningJob("here:3000/run-2", 60_000); // its run is alive in this engine
    const othersBusy = await runningJob("there:3000/run-3", 60_000); // another instance's, with a recent heartbeat
    const othersLost = await runningJob("there:3000/run-4", 20 * 60_000); // another instance's, silent for 20 minutes
    const justStarted = await runningJob("there:3000/run-5", 1_000); // within the grace period
    world.intake.events.length = 0;
    const result = await recoverJobs(db(), world.intake.send, {
      hasLiveRun: (job) => (job.engineRunId?.startsWith("here:3000/") ? job.id === ownLive : null),
      staleMs: 10 * 60_000,
      maxDispatches: 5,
    });
    expect(result.redispatched.sort()).toEqual([ownLost, othersLost].sort());
    expect(world.intake.events.map((event) => (event.data as { jobId: string }).jobId).sort()).toEqual([ownLost, othersLost].sort());
    for (const untouched of [ownLive, othersBusy, justStarted]) {
      expect((await db().job.findUniqueOrThrow({ where: { id: untouched } })).dispatchCount).toBe(1);
    }
  });
});
