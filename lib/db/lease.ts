import { config, installationId } from "@/lib/config";
import { Prisma, type DbClient } from "@/lib/db";

// Periodic tasks (the recovery sweep, the clean-up) run by whichever process holds their lease:
// several web processes or instances on one database then run each once per interval. A
// lease is one row, taken with a conditional write: free, expired, or already this holder's.
// A holder that dies simply lets it expire; a live one renews it each time it runs the task.

/** The holder: this installation (lib/config.ts), so a restarted server sweeps at once instead of waiting for its old lease. */
const thisInstallation = () => installationId(config());

export function isUniqueViolation(error: unknown) {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002";
}

/** Takes or renews the lease `name` for `ttlMs`; false while another holder's is unexpired. */
export async function takeLease(client: DbClient, name: string, ttlMs: number, holder = thisInstallation()): Promise<boolean> {
  const now = new Date();
  const expiresAt = new Date(now.getTime() + ttlMs);
  const { count } = await client.lease.updateMany({
    where: { name, OR: [{ holder }, { expiresAt: { lte: now } }] },
    data: { holder, expiresAt },
  });
  if (count === 1) return true;
  try {
    await client.lease.create({ data: { name, holder, expiresAt } });
    return true;
  } catch (error) {
    // Another holder's row exists (or was created a moment ago by a process taking it too).
    if (isUniqueViolation(error)) return false;
    throw error;
  }
}

/** Gives the lease up now (a holder that stops), so another may take it without waiting. */
export async function releaseLease(client: DbClient, name: string, holder = thisInstallation()) {
  await client.lease.deleteMany({ where: { name, holder } });
}

/**
 * Runs `task` if this process gets the lease for `ttlMs`; `null` when another holds it.
 * - A task every process repeats on its own timer: a lease longer than the interval, so its
 *   holder keeps it and another takes over only after the holder missed a run.
 * - A task fired at the same moment everywhere (an engine's cron): a lease a little shorter
 *   than the interval, so each firing has one winner whoever won the last.
 */
export async function onceAcrossProcesses<T>(client: DbClient, name: string, ttlMs: number, task: () => Promise<T>): Promise<T | null> {
  if (!(await takeLease(client, name, ttlMs))) return null;
  return task();
}
