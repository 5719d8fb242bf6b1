import { config } from "@/lib/config";
import { db } from "@/lib/db";
import { RequestGate } from "@/lib/sources/politeness";
import { redisClient, RedisHostGate } from "./redis-host-gate";
import { DatabaseHostGate } from "./shared-host-gate";

// Politeness towards media hosts: at most `connections` transfers per host at once, and a host
// that answered 429/503 with Retry-After is left alone until then. Only the transfer holds the
// gate; hashing, measuring and database writes happen outside it, so they overlap with the
// next transfer.
// - With REDIS_URL it lives in Redis (redis-host-gate.ts, a redis-semaphore Semaphore), shared
//   by every process and instance.
// - Otherwise on PostgreSQL, where several workers and instances may download at once, it lives
//   in the database (shared-host-gate.ts), so the limit and the pauses hold for all of them.
// - On SQLite (one machine; one worker by default) it lives in this process.

export interface HostGate {
  run<T>(task: () => Promise<T>): Promise<T>;
  pauseUntil(time: number): void | Promise<void>;
}

/** A shared slot's lease, renewed while its process holds it: the slots of a process that died free within this. */
const SLOT_LEASE_MS = 15_000;
const gates = new Map<string, HostGate>();

function hostOf(url: string) {
  return new URL(url).host.toLowerCase();
}

/**
 * A shared gate behind this process's own queue: the process's transfers wait their turn here
 * (promptly, no polling) and only contend with other processes for the shared slots. Without
 * it, a process's waiting transfers polled the shared store with backoff and left slots idle:
 * 1,000 small files took 14 s on PostgreSQL instead of about 2.
 */
function queuedLocally(local: RequestGate, shared: HostGate): HostGate {
  return {
    run: (task) => local.run(() => shared.run(task)),
    pauseUntil: async (time) => {
      local.pauseUntil(time);
      await shared.pauseUntil(time);
    },
  };
}

export function hostGate(url: string, connections: number): HostGate {
  const host = hostOf(url);
  const key = `${host} ${connections}`;
  let gate = gates.get(key);
  if (!gate) {
    const cfg = config();
    const local = new RequestGate({ concurrency: connections, requestsPerSecond: Number.POSITIVE_INFINITY });
    const shared = cfg.redisUrl
      ? new RedisHostGate(redisClient(cfg.redisUrl), host, connections)
      : cfg.databaseKind === "postgresql"
        ? new DatabaseHostGate(db(), host, connections, SLOT_LEASE_MS)
        : undefined;
    gate = shared ? queuedLocally(local, shared) : local;
    gates.set(key, gate);
  }
  return gate;
}
