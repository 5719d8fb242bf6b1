/**
 * Limits how often a progress write happens for one key (e.g. a job's counters). Only the
 * write rate lives here — the values written always come from the database — so losing
 * this map (a restart) loses nothing.
 */
export class WriteThrottle {
  private readonly last = new Map<string, number>();

  constructor(
    private readonly intervalMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** True when the key's previous write is at least intervalMs old (and records this one). */
  due(key: string) {
    const now = this.now();
    const previous = this.last.get(key);
    if (previous !== undefined && now - previous < this.intervalMs) return false;
    this.last.set(key, now);
    return true;
  }

  forget(key: string) {
    this.last.delete(key);
  }
}
