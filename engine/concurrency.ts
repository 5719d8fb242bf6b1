import type { EngineEvent } from "./protocol";
import type { ConcurrencyRule } from "./registry";

// Counts running runs per concurrency slot; a run may start only when all its slots have room.

export interface ConcurrencySlot {
  key: string;
  limit: number;
  description: string;
}

/** The slots a run of a function occupies, from its triggering event. */
export function concurrencySlots(rules: ConcurrencyRule[], event: EngineEvent): ConcurrencySlot[] {
  return rules.map((rule) => {
    const value = rule.keyOf ? rule.keyOf(event) : undefined;
    const keyPart = rule.keyOf ? `=${JSON.stringify(value ?? null)}` : "";
    return {
      key: `${rule.scope}|${rule.description}${keyPart}`,
      limit: rule.limit,
      description: rule.keyOf ? `${rule.description} for ${JSON.stringify(value ?? null)}` : rule.description,
    };
  });
}

export class ConcurrencyLimiter {
  private readonly running = new Map<string, number>();

  /** The first slot without room, or undefined when the run may start. */
  blockingSlot(slots: ConcurrencySlot[]): ConcurrencySlot | undefined {
    return slots.find((slot) => (this.running.get(slot.key) ?? 0) >= slot.limit);
  }

  acquire(slots: ConcurrencySlot[]): void {
    for (const slot of slots) this.running.set(slot.key, (this.running.get(slot.key) ?? 0) + 1);
  }

  release(slots: ConcurrencySlot[]): void {
    for (const slot of slots) {
      const count = (this.running.get(slot.key) ?? 0) - 1;
      if (count < 0) throw new Error(`Concurrency slot ${slot.key} released more often than acquired`);
      if (count === 0) this.running.delete(slot.key);
      else this.running.set(slot.key, count);
    }
  }
}
