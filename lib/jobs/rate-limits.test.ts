import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { startEventIntake, type EventIntake } from "@/tests/support/event-intake";
import { createJob } from "./create";
import { createJobInput } from "./input";
import { RateLimitedError, searchSourcePage, startJob } from "./run";
import { ownerId } from "@/tests/support/users";

// Openverse answering 429 with Retry-After: the source's row says until when, and the step
// fails with the wait so the engine retries after it.
let api: http.Server;
let intake: EventIntake;
beforeAll(async () => {
  api = http.createServer((_req, res) => {
    res.writeHead(429, { "content-type": "application/json", "retry-after": "120" });
    res.end(JSON.stringify({ detail: "Request was throttled." }));
  });
  await new Promise<void>((resolve) => api.listen(0, "127.0.0.1", resolve));
  const port = (api.address() as AddressInfo).port;
  process.env.TRAWL_FETCH_ALLOW_HOSTS = `127.0.0.1:${port}`;
  process.env.TRAWL_URL_OPENVERSE = `http://127.0.0.1:${port}/v1`;
  intake = await startEventIntake();
});
afterAll(async () => {
  await new Promise((resolve) => api.close(resolve));
  await intake.close();
  await db().$disconnect();
});

describe("a rate-limited source", () => {
  it("shows 'rate limited until hh:mm:ss' and asks the engine to retry after the wait", async () => {
    const { jobId } = await createJob(
      db(),
      intake.send,
      await ownerId(),
      createJobInput.parse({ query: "aurora", sources: ["openverse"], maxItems: 5 }),
    );
    await startJob(db(), jobId, "test-run");
    const before = Date.now();
    const error = await searchSourcePage(db(), jobId, "openverse", null, 0).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(RateLimitedError);
    expect((error as RateLimitedError).retryAfterMs).toBe(120_000);
    const source = await db().jobSource.findUniqueOrThrow({ where: { jobId_sourceId: { jobId, sourceId: "openverse" } } });
    const until = new Date(before + 120_000).toISOString().slice(11, 16);
    expect(source.message).toMatch(new RegExp(`^Rate limited until ${until}:\\d\\d UTC$`));
    const health = await db().sourceSetting.findUniqueOrThrow({ where: { sourceId: "openverse" } });
    expect(health.lastError).toMatch(/Openverse: HTTP 429/);
    const events = await db().jobEvent.findMany({ where: { jobId, level: "warn" } });
    expect(events.map((e) => e.message)).toContainEqual(expect.stringMatching(/^Openverse: Rate limited until/));
  });
});

describe("a key-gated source without its key", () => {
  it("is skipped with the variable to set, and the other sources still run", async () => {
    const { jobId } = await createJob(
      db(),
      intake.send,
      await ownerId(),
      createJobInput.parse({ query: "aurora", sources: ["pexels", "openverse"], maxItems: 5 }),
    );
    const plan = await startJob(db(), jobId, "test-run");
    expect(plan).toEqual({ run: true, sourceIds: ["openverse"] });
    const pexels = await db().jobSource.findUniqueOrThrow({ where: { jobId_sourceId: { jobId, sourceId: "pexels" } } });
    expect(pexels.status).toBe("skipped");
    expect(pexels.message).toMatch(/^Skipped: no API key: an administrator sets it on \/sources, or set TRAWL_KEY_PEXELS/);
  });
});
