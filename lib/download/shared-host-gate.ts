import { randomUUID } from "node:crypto";
import { errorMessage, log } from "@/lib/log";
import { sleep } from "@/lib/concurrency";
import type { Db } from "@/lib/db";
import { isUniqueViolation, releaseLease, takeLease } from "@/lib/db/lease";

// Per-host politeness shared by every process and instance on one PostgreSQL database: a
// transfer holds one of the host's `connections` slots, each a lease row ("host-slot:<host>:<n>")
// taken with a conditional write and given back when the transfer ends; a 429/503 with
// Retry-After pauses the host for everyone (a "host-pause:<host>" row's expiry). A process that
// dies mid-transfer loses its slots when their leases lapse: they are short and renewed while
// held. A process keeps a slot for its next transfer and gives it back after IDLE_RELEASE_MS
// without one, so a run of small files costs no database round trips per file; waiting for a
// slot another process holds is polling with backoff.

const POLL_MS = { first: 25, max: 250 };
/** How long a slot no transfer of this process uses stays held before it is given back. */
const IDLE_RELEASE_MS = 50;
const PAUSE_READ_MS = 100;

export class DatabaseHostGate {
  constructor(
    private readonly client: Db,
    private readonly host: string,
    private readonly connections: number,
    /** A slot's lease, renewed every third of it while this process holds the slot: a dead process's slots free within it. */
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

  /** One holder per gate (per process and host): the slots it holds are its own to reuse. */
  private readonly holder = randomUUID();
  /** Slots this process holds but no transfer uses: handed to the next transfer, released when idle. */
  private readonly idle = new Map<string, { renewBy: number; timer: NodeJS.Timeout }>();
  /** Slots a transfer of this process is using: the same holder could renew them, so they are skipped. */
  private readonly inUse = new Set<string>();
  private pauseRead: { at: number; until: number | null } | undefined;
  private renewal: NodeJS.Timeout | undefined;

  /** Renews every slot this process holds (in use or idle) while it holds any. */
  private keepRenewing() {
    if (this.renewal) return;
    this.renewal = setInterval(() => {
      const names = [...this.inUse, ...this.idle.keys()];
      if (names.length === 0) {
        clearInterval(this.renewal);
        this.renewal = undefined;
        return;
      }
      this.client.lease
        .updateMany({ where: { name: { in: names }, holder: this.holder }, data: { expiresAt: new Date(Date.now() + this.slotTtlMs) } })
        .catch((error: unknown) =>
          log.error("could not renew this process's host slots (they may lapse, and the limit be exceeded briefly)", {
            host: this.host,
            error: errorMessage(error),
          }),
        );
    }, this.slotTtlMs / 3);
    this.renewal.unref();
  }

  /** The pause, read at most every PAUSE_READ_MS (a 429's pause is seconds long; a read per transfer is not needed). */
  private async currentPause() {
    if (!this.pauseRead || Date.now() - this.pauseRead.at > PAUSE_READ_MS)
      this.pauseRead = { at: Date.now(), until: await this.pausedUntil() };
    return this.pauseRead.until !== null && this.pauseRead.until > Date.now() ? this.pauseRead.until : null;
  }

  private async acquire(): Promise<{ name: string; renewBy: number }> {
    for (let wait = POLL_MS.first; ; wait = Math.min(POLL_MS.max, wait * 2)) {
      const paused = await this.currentPause();
      if (paused !== null) {
        await sleep(paused - Date.now());
        continue;
      }
      const [reusable] = this.idle;
      if (reusable) {
        const [name, held] = reusable;
        clearTimeout(held.timer);
        this.idle.delete(name);
        this.inUse.add(name);
        // Taken again (a conditional write) once half its lease has passed since this process took it:
        // the timer's renewals do not report a slot that lapsed meanwhile and went to another process.
        if (Date.now() < held.renewBy) return { name, renewBy: held.renewBy };
        if (await takeLease(this.client, name, this.slotTtlMs, this.holder)) return { name, renewBy: Date.now() + this.slotTtlMs / 2 };
        this.inUse.delete(name);
      }
      for (let slot = 0; slot < this.connections; slot++) {
        const name = `host-slot:${this.host}:${slot}`;
        if (this.inUse.has(name) || this.idle.has(name)) continue;
        this.inUse.add(name);
        if (await takeLease(this.client, name, this.slotTtlMs, this.holder)) return { name, renewBy: Date.now() + this.slotTtlMs / 2 };
        this.inUse.delete(name);
      }
      await sleep(wait);
    }
  }

  /** Keeps the slot a moment for the next transfer of this process; gives it back if none comes. */
  private keepIdle(slot: { name: string; renewBy: number }) {
    this.inUse.delete(slot.name);
    const timer = setTimeout(() => {
      this.idle.delete(slot.name);
      // Counted as in use until its row is gone: retaken meanwhile by this same holder, the late
      // delete would free it under a running transfer, and another process could take it too.
      this.inUse.add(slot.name);
      releaseLease(this.client, slot.name, this.holder)
        .finally(() => this.inUse.delete(slot.name))
        .catch((error: unknown) =>
          log.error("could not give back a host slot (it frees itself when its lease expires)", {
            slot: slot.name,
            error: errorMessage(error),
          }),
        );
    }, IDLE_RELEASE_MS);
    this.idle.set(slot.name, { renewBy: slot.renewBy, timer });
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    const slot = await this.acquire();
    this.keepRenewing();
    try {
      return await task();
    } finally {
      this.keepIdle(slot);
    }
  }
}
