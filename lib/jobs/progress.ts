import type { DbClient } from "@/lib/db";

type Counts = { detected: number; downloaded: number; skipped: number; failed: number };
const zero = (): Counts => ({ detected: 0, downloaded: 0, skipped: 0, failed: 0 });

/**
 * Recomputes a job's counters from its items. Counters are derived, never incremented,
 * so running a step twice can never count an item twice.
 */
export async function refreshCounters(client: DbClient, jobId: string) {
  const groups = await client.item.groupBy({
    by: ["sourceId", "status"],
    where: { jobId },
    _count: { _all: true },
    _sum: { bytes: true },
  });
  const perSource = new Map<string, Counts>();
  const total = zero();
  let bytes = BigInt(0);
  for (const group of groups) {
    const counts = perSource.get(group.sourceId) ?? zero();
    perSource.set(group.sourceId, counts);
    const n = group._count._all;
    counts.detected += n;
    total.detected += n;
    if (group.status === "downloaded" || group.status === "skipped" || group.status === "failed") {
      counts[group.status] += n;
      total[group.status] += n;
    }
    if (group.status === "downloaded") bytes += group._sum.bytes ?? BigInt(0);
  }
  for (const [sourceId, counts] of perSource) {
    await client.jobSource.update({ where: { jobId_sourceId: { jobId, sourceId } }, data: counts });
  }
  await client.job.update({ where: { id: jobId }, data: { ...total, bytes, heartbeatAt: new Date() } });
  return total;
}
