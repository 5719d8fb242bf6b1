// How many bytes of downloads may be held in memory at once, shared by every job in the
// process. A small file is read into memory only when its announced size fits what is
// left; otherwise it streams to a part file like a large one, so many sources at once
// (each with several transfers) cannot add up to more than the budget.

export class MemoryBudget {
  private used = 0;

  constructor(readonly limitBytes: number) {}

  get usedBytes(): number {
    return this.used;
  }

  /** Takes `bytes` if they fit; the caller gives them back with release() when done. */
  tryTake(bytes: number): boolean {
    if (this.used + bytes > this.limitBytes) return false;
    this.used += bytes;
    return true;
  }

  release(bytes: number): void {
    if (bytes > this.used) throw new Error(`internal: released ${bytes} bytes of a memory budget holding ${this.used}`);
    this.used -= bytes;
  }
}

/** The process's budget for downloads held in memory (fetch-to-store.ts). */
export const downloadMemory = new MemoryBudget(64 * 1024 * 1024);
