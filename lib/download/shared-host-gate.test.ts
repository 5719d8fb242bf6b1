import { expectLimitHeldAcross, expectPauseHeldAcross } from "@/tests/support/host-gate-contract";
import { afterAll, describe, expect, it } from "vitest";
import { createDb, db } from "@/lib/db";
import { takeLease } from "@/lib/db/lease";
import { DatabaseHostGate } from "./shared-host-gate";

// Two processes' gates (two separate database clients, sharing nothing else) for one host.
const clients = [createDb(process.env.DATABASE_URL!), createDb(process.env.DATABASE_URL!)];
afterAll(() => Promise.all(clients.map((client) => client.$disconnect())));

describe("per-host limits shared through the database", () => {
  it("never lets more transfers than the host's connections run at once, across processes", async () => {
    const gates = clients.map((client) => new DatabaseHostGate(client, "media.example:443", 2, 60_000)) as [
      DatabaseHostGate,
      DatabaseHostGate,
    ];
    await expectLimitHeldAcross(gates, 2);
    // Each process keeps its slots a moment for its next transfer, then gives them back.
    await expect.poll(() => db().lease.count({ where: { name: { startsWith: "host-slot:media.example:443:" } } })).toBe(0);
  });

  it("pauses the host for every process after one of them is told to wait (Retry-After)", async () => {
    const gates = clients.map((client) => new DatabaseHostGate(client, "busy.example:443", 4, 60_000)) as [
      DatabaseHostGate,
      DatabaseHostGate,
    ];
    await expectPauseHeldAcross(gates);
  });

  it("frees a slot whose holder died once its lease expires", async () => {
    expect(await takeLease(db(), "host-slot:gone.example:443:0", 150, "a process that died mid-transfer")).toBe(true);
    const gate = new DatabaseHostGate(clients[0], "gone.example:443", 1, 60_000);
    const started = Date.now();
    await gate.run(async () => undefined);
    expect(Date.now() - started).toBeGreaterThanOrEqual(100);
  });
});
