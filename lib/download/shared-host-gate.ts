import { randomUUID } from "node:crypto";
import { sleep } from "@/lib/concurrency";
import type { Db } from "@/lib/db";
import { isUniqueViolation, releaseLease, takeLease } from "@/lib/db/lease";

// Per-host politeness shared by every process and instance on one PostgreSQL database: a
// transfer holds one of the host's `connections` slots, each a lease row ("host-slot:<host>:<n>")
// taken with a conditional write and given back when the transfer ends; a 429/503 with
// Retry-After pauses the host for everyone (a "host-pause:<host>" row's expiry). A process that
// dies mid-transfer loses its slots when their leases expire (the transfer time cap and a
// margin). Waiting is polling with backoff: slots are few and transfers long against it.

const POLL_MS = { first: 25, max: 250 };

export class DatabaseHostGate {
  constructor(
    private readonly client: Db,
    private readonly host: string,
    private readonly connections: number,
    /** Longer than any transfer may take (the fetch time cap): an abandoned slot frees itself then. */
    private readonly slotTtlMs: number,
  ) {}

  private readonly pauseName = () => `host-pause:${this.host}`;

  /** Until when the host asked everyone to wait, or null. */
  async pausedUntil(): Promise<number | null> {
    const row = await this.client.lease.findUnique({ where: { name: this.pauseName() }, select: { expiresAt: true } });
    return row && row.expiresAt.getTime() > Date.now() ? row.expiresAt.getTime() : null;
  }

  /** Pauses the host for every process until `time` (a later pause already set stands). */
  async pauseUntil(time: number) {
    const expiresAt = new Date(time);
    const extend = () =>
      this.client.lease.updateMany({ where: { name: this.pauseName(), expiresAt: { lt: expiresAt } }, data: { expiresAt } });
    if ((await extend()).count > 0) return;
    try {
      await this.client.lease.create({ data: { name: this.pauseName(), holder: "retry-after", expiresAt } });
    } catch (error) {
      // The row exists: a later pause stands, or another process just set one (extend it if shorter).
      if (!isUniqueViolation(error)) throw error;
      await extend();
    }
  }

  private async acquire(holder: string): Promise<string> {
    for (let wait = POLL_MS.first; ; wait = Math.min(POLL_MS.max, wait * 2)) {
      const paused = await this.pausedUntil();
      if (paused !== null) {
        await sleep(paused - Date.now());
        continue;
      }
      for (let slot = 0; slot < this.connections; slot++) {
        const name = `host-slot:${this.host}:${slot}`;
        if (await takeLease(this.client, name, this.slotTtlMs, holder)) return name;
      }
      await sleep(wait);
    }
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    const holder = randomUUID();
    const slot = await this.acquire(holder);
    try {
      return await task();
    } finally {
      await releaseLease(this.client, slot, holder);
    }
  }
}
