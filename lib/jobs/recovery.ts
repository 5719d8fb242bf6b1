import type { Db } from "@/lib/db";
import { takeLease } from "@/lib/db/lease";
import { log } from "@/lib/log";
import { dispatchJob, type SendEvent } from "./dispatch";
import { recordJobEvent } from "./events";
import { ACTIVE_JOB_STATUSES } from "./status";

type RunJudge = (job: { id: string; engineRunId: string | null }) => boolean | null;

export interface RecoveryOptions {
  /**
   * Whether the engine is running this job now: known exactly for a job the offline engine in
   * this process started (its run id), null for others (another instance's engine), which are
   * judged by their heartbeat like those of an external engine.
   */
  hasLiveRun?: RunJudge;
  /** Without hasLiveRun: a job whose heartbeat is older than this has no live run. */
  staleMs: number;
  /** Never touch a job whose heartbeat is younger than this (it may be being dispatched). */
  graceMs?: number;
  maxDispatches: number;
  now?: Date;
}

/**
 * Finds queued or running jobs that no engine run is working on (an engine restart loses
 * runs) and dispatches them again; steps are idempotent, so a resumed job continues where
 * its data says it is. After maxDispatches the job is failed with the reason instead.
 */
export async function recoverJobs(client: Db, send: SendEvent, options: RecoveryOptions) {
  const now = options.now ?? new Date();
  const graceMs = options.graceMs ?? 5_000;
  const jobs = await client.job.findMany({
    where: { status: { in: ACTIVE_JOB_STATUSES } },
    select: { id: true, heartbeatAt: true, dispatchCount: true, engineRunId: true },
  });
  const result = { redispatched: [] as string[], failed: [] as string[] };
  for (const job of jobs) {
    const age = now.getTime() - job.heartbeatAt.getTime();
    if (age < graceMs) continue;
    const live = options.hasLiveRun?.(job) ?? age < options.staleMs;
    if (live) continue;
    if (job.dispatchCount >= options.maxDispatches) {
      const reason = `No engine run finished this job after ${job.dispatchCount} dispatches; giving up`;
      await client.job.update({
        where: { id: job.id },
        data: { status: "failed", error: reason, finishedAt: new Date(), currentItem: null },
      });
      await recordJobEvent(client, job.id, "error", reason);
      result.failed.push(job.id);
      continue;
    }
    const outcome = await dispatchJob(
      client,
      send,
      job.id,
      `Recovered: no engine run was working on it, dispatched again (${job.dispatchCount + 1}/${options.maxDispatches})`,
    );
    if (outcome.dispatched) result.redispatched.push(job.id);
    else result.failed.push(job.id);
  }
  if (result.redispatched.length || result.failed.length) log.info("recovery sweep", result);
  return result;
}

// An offline engine keeps its runs in its process's memory, so they end with it. Each instance
// running one renews a lease while it lives; the sweep then re-dispatches the jobs of an instance
// whose engine stopped renewing at once, instead of after their heartbeat goes stale (10 minutes).
const ENGINE_LEASE = "engine:";

/** Says this installation's offline engine is running, for `ttlMs` (renewed by every sweep). */
export function markEngineAlive(client: Db, installation: string, ttlMs: number) {
  return takeLease(client, `${ENGINE_LEASE}${installation}`, ttlMs, installation);
}

/** How an installation's offline engine starts its run ids, so the sweep can tell whose a run is. */
export const engineRunIdPrefix = (installation: string) => `${installation}/`;

/** The installation an offline engine's run id names (engineRunIdPrefix); Inngest's run ids name none. */
function installationOfRun(runId: string | null) {
  const slash = runId?.indexOf("/") ?? -1;
  return runId && slash > 0 ? runId.slice(0, slash) : null;
}

/**
 * The sweep's judge of runs for an installation running the offline engine: its own runs are
 * known exactly (`activeJobIds`), another installation's died with its engine once that stopped
 * renewing its lease, and the rest (another live engine's, Inngest's) are left to the heartbeat.
 */
export async function offlineEngineJudge(
  client: Db,
  installation: string,
  activeJobIds: ReadonlySet<string>,
  now = new Date(),
): Promise<RunJudge> {
  const leases = await client.lease.findMany({
    where: { name: { startsWith: ENGINE_LEASE }, expiresAt: { gt: now } },
    select: { holder: true },
  });
  const liveEngines = new Set(leases.map((lease) => lease.holder));
  return (job) => {
    const owner = installationOfRun(job.engineRunId);
    if (owner === installation) return activeJobIds.has(job.id);
    if (owner !== null && !liveEngines.has(owner)) return false;
    return null;
  };
}
