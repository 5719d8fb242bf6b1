import { describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { jobWorld } from "@/tests/support/job-world";
import { ownerId } from "@/tests/support/users";
import { createJob } from "./create";
import { createJobInput } from "./input";
import { markEngineAlive, offlineEngineJudge, recoverJobs } from "./recovery";

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

describe("the recovery sweep of an instance running the offline engine", () => {
  it("re-dispatches at once the jobs of an instance whose engine stopped renewing its lease, and leaves a live one's to their heartbeat", async () => {
    await db().job.deleteMany();
    await db().lease.deleteMany();
    await markEngineAlive(db(), "here:3000", 60_000);
    await markEngineAlive(db(), "alive:3000", 60_000);
    await markEngineAlive(db(), "dead:3000", 1); // its last renewal has run out: the process is gone
    await new Promise((resolve) => setTimeout(resolve, 5));

    const ownLive = await runningJob("here:3000/run-1", 60_000);
    const ownLost = await runningJob("here:3000/run-2", 60_000);
    const aliveElsewhere = await runningJob("alive:3000/run-3", 60_000);
    const deadElsewhere = await runningJob("dead:3000/run-4", 60_000); // heartbeat a minute old: not stale yet
    const neverLeased = await runningJob("gone:3000/run-5", 60_000); // an engine with no lease at all
    const onInngest = await runningJob("01JBQ5ZK3V8Q6Y2W7N4M0R1T9S", 60_000); // an Inngest run id names no installation
    const justDispatched = await runningJob("dead:3000/run-6", 1_000); // within the grace period
    world.intake.events.length = 0;

    const result = await recoverJobs(db(), world.intake.send, {
      hasLiveRun: await offlineEngineJudge(db(), "here:3000", new Set([ownLive])),
      staleMs: 10 * 60_000,
      maxDispatches: 5,
    });
    expect(result.redispatched.sort()).toEqual([ownLost, deadElsewhere, neverLeased].sort());
    for (const untouched of [ownLive, aliveElsewhere, onInngest, justDispatched]) {
      expect((await db().job.findUniqueOrThrow({ where: { id: untouched } })).dispatchCount).toBe(1);
    }
  });
});
