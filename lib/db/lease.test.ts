import { describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { onceAcrossProcesses, releaseLease, takeLease } from "./lease";

// Several processes on one database (two holders here, on this suite's SQLite or PostgreSQL).

describe("leases on periodic tasks", () => {
  it("lets one of several holders taking it at once have it, and renews it for its holder", async () => {
    const takers = ["web-1", "web-2", "web-3", "web-4"];
    const results = await Promise.all(takers.map((holder) => takeLease(db(), "sweep-a", 60_000, holder)));
    expect(results.filter(Boolean)).toHaveLength(1);
    const winner = takers[results.indexOf(true)];
    expect(await takeLease(db(), "sweep-a", 60_000, winner)).toBe(true);
    expect(
      await takeLease(
        db(),
        "sweep-a",
        60_000,
        takers.find((t) => t !== winner)!,
      ),
    ).toBe(false);
  });

  it("passes to another holder once it has expired, or once its holder gives it up", async () => {
    expect(await takeLease(db(), "sweep-b", 60_000, "web-1")).toBe(true);
    expect(await takeLease(db(), "sweep-b", 60_000, "web-2")).toBe(false);
    // Its time runs out (set in the row, not waited for: a loaded machine took longer than a short lease once).
    await db().lease.update({ where: { name: "sweep-b" }, data: { expiresAt: new Date(Date.now() - 1) } });
    expect(await takeLease(db(), "sweep-b", 60_000, "web-2")).toBe(true);
    await releaseLease(db(), "sweep-b", "web-2");
    expect(await takeLease(db(), "sweep-b", 60_000, "web-1")).toBe(true);
  });

  it("runs a task in one process only while its lease holds", async () => {
    let runs = 0;
    const task = async () => ++runs;
    // This process is one holder: its first run takes the lease, its later runs renew it.
    const outcomes = [];
    for (let n = 0; n < 3; n++) outcomes.push(await onceAcrossProcesses(db(), "cleanup-c", 60_000, task));
    expect(outcomes).toEqual([1, 2, 3]);
    await releaseLease(db(), "cleanup-c");
    expect(await takeLease(db(), "cleanup-c", 60_000, "another-instance")).toBe(true);
    expect(await onceAcrossProcesses(db(), "cleanup-c", 60_000, task)).toBeNull();
    expect(runs).toBe(3);
  });
});
