import { randomBytes } from "node:crypto";
import { Redis } from "ioredis";
import { expectLimitHeldAcross, expectPauseHeldAcross } from "@/tests/support/host-gate-contract";
import { afterAll, describe, expect, it } from "vitest";
import { config } from "@/lib/config";
import { db } from "@/lib/db";
import { runHealthChecks } from "@/lib/health";
import { closedPort } from "@/tests/support/engine-harness";
import { RedisHostGate } from "./redis-host-gate";

// Two processes' gates (two Redis connections, sharing nothing else) on a real Redis server:
// TEST_REDIS_URL (CI sets it to the machine's Redis).
const url = process.env.TEST_REDIS_URL;
const namespace = `trawl-test:${randomBytes(6).toString("hex")}`;
const clients = url ? [new Redis(url), new Redis(url)] : [];
afterAll(async () => {
  if (!clients.length) return;
  const keys = await clients[0].keys(`${namespace}:*`);
  if (keys.length) await clients[0].del(...keys);
  await Promise.all(clients.map((client) => client.quit()));
});

describe.skipIf(!url)("per-host limits shared through Redis (REDIS_URL)", () => {
  it("never lets more transfers than the host's connections run at once, across processes", async () => {
    const gates = clients.map((client) => new RedisHostGate(client, "media.example:443", 2, namespace)) as [RedisHostGate, RedisHostGate];
    await expectLimitHeldAcross(gates, 2);
  });

  it("pauses the host for every process after one of them is told to wait, keeping the longer pause", async () => {
    const gates = clients.map((client) => new RedisHostGate(client, "busy.example:443", 4, namespace)) as [RedisHostGate, RedisHostGate];
    await expectPauseHeldAcross(gates);
  });

  it("is checked by the health report when REDIS_URL is set", async () => {
    const context = { engine: { mode: "offline" as const, probe: async () => ({ ok: true, detail: "" }) }, startupProblems: [] };
    const up = await runHealthChecks(db(), { ...config(), redisUrl: url! }, context);
    expect(up.checks.find((c) => c.name === "redis")).toMatchObject({ ok: true, detail: `${url} answered PONG` });
    const down = await runHealthChecks(db(), { ...config(), redisUrl: `redis://127.0.0.1:${await closedPort()}` }, context);
    expect(down.checks.find((c) => c.name === "redis")).toMatchObject({ ok: false, fix: expect.stringContaining("REDIS_URL") });
  });
});
