import { afterAll, afterEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { ENGINE_FUNCTION_IDS } from "@/inngest/function-ids";
import { probeEngineServer } from "@/lib/health";
import { startLocalEngine } from "./index";
import { RUN_LIMITS } from "./run-driver";
import { closedPort, escape, latch, startHarness, type Harness, type Latch } from "../tests/support/engine-harness";

// Events in, cancelOn, concurrency, timeouts, sync and health, against the real SDK.

const harnesses: Harness[] = [];
async function harness(...args: Parameters<typeof startHarness>) {
  const h = await startHarness(...args);
  harnesses.push(h);
  return h;
}
afterAll(async () => {
  await Promise.all(harnesses.map((h) => h.close()));
});

function latches<T = void>() {
  const map = new Map<string, Latch<T>>();
  return (key: string) => {
    if (!map.has(key)) map.set(key, latch<T>());
    return map.get(key)!;
  };
}

describe("events and sync", () => {
  it("syncs on the first event when nothing is registered, and client.send() starts a run", async () => {
    const ran = latch<unknown>();
    const h = await harness({
      sync: false,
      functions: (client) => [
        client.createFunction({ id: "hello", triggers: [{ event: "test/hello" }] }, async ({ event, step }) => {
          await step.run("greet", () => ran.resolve(event.data));
        }),
      ],
    });
    expect(h.engine.registeredFunctions()).toEqual([]);

    const { ids } = await h.client.send({ name: "test/hello", data: { who: "engine" } });

    expect(ids).toHaveLength(1);
    expect(h.engine.registeredFunctions()).toEqual(["engine-test-hello"]);
    expect(await ran.promise).toEqual({ who: "engine" });
    await h.waitForRun("hello", "completed");
    expect(h.logs.matching(new RegExp(`^event test/hello \\(${escape(ids[0])}\\) received`))).toHaveLength(1);
  });

  it("accepts a single event object on POST /e/:key and answers /health", async () => {
    const gate = latch();
    const h = await harness({
      functions: (client) => [
        client.createFunction({ id: "held", triggers: [{ event: "test/held" }] }, async ({ step }) => {
          await step.run("hold", () => gate.promise);
        }),
      ],
    });
    const response = await fetch(`${h.engine.url}/e/any-key`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ name: "test/held", data: { n: 1 } }),
    });
    const body = z.object({ ids: z.array(z.string()), status: z.literal(200) }).parse(await response.json());
    expect(response.status).toBe(200);
    expect(body.ids).toHaveLength(1);

    const health = await (await fetch(`${h.engine.url}/health`)).json();
    expect(health).toEqual({
      engine: "trawl-offline",
      functions: ["engine-test-held"],
      activeRuns: 1,
      longestRequestMs: 0,
      longestRequest: null,
    });
    expect(h.engine.activeRuns()).toEqual([
      expect.objectContaining({ functionId: "engine-test-held", status: "running", event: { name: "test/held", data: { n: 1 } } }),
    ]);

    gate.resolve();
    await h.waitForRun("held", "completed");
    expect(h.engine.activeRuns()).toEqual([]);
  });

  it("lists an app's functions as Inngest's REST API does, and the health check names those of Trawl's it lacks", async () => {
    const h = await harness({
      functions: (client) => [
        client.createFunction({ id: "first", name: "The first", triggers: [{ event: "test/first" }] }, async () => "done"),
        client.createFunction({ id: "second", triggers: [{ event: "test/second" }] }, async () => "done"),
      ],
    });
    const listed = await (await fetch(`${h.engine.url}/v1/apps/engine-test/functions`)).json();
    expect(listed).toEqual([
      { ID: "engine-test-first", AppID: "engine-test", Slug: "engine-test-first", Name: "The first" },
      { ID: "engine-test-second", AppID: "engine-test", Slug: "engine-test-second", Name: "second" },
    ]);
    expect(await (await fetch(`${h.engine.url}/v1/apps/trawl/functions`)).json()).toEqual([]);
    expect(await probeEngineServer({ engine: { baseUrl: h.engine.url, signingKey: undefined } })).toEqual({
      ok: false,
      detail: `${h.engine.url} does not know ${ENGINE_FUNCTION_IDS.join(", ")}: sync Trawl's serve URL with it`,
    });
  });

  it("rejects an invalid event payload with a clear error", async () => {
    const h = await harness({ functions: () => [] });
    const response = await fetch(`${h.engine.url}/e/key`, { method: "POST", body: JSON.stringify([{ data: {} }]) });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ ids: [], status: 400, error: expect.stringMatching(/invalid event payload: 0\.name/) });
  });

  it("fails sync with a clear error when the app never answers", async () => {
    const port = await closedPort();
    const engine = await startLocalEngine({
      port: 0,
      appServeUrls: [`http://127.0.0.1:${port}/api/inngest`],
      syncTimeoutMs: 300,
      log: () => undefined,
    });
    try {
      await expect(engine.sync()).rejects.toThrow(
        new RegExp(`Sync of http://127\\.0\\.0\\.1:${port}/api/inngest failed: no successful answer within 300 ms; last problem: .*failed`),
      );
    } finally {
      await engine.stop();
    }
  });

  it("rejects at registration a cancelOn expression it cannot evaluate", async () => {
    const h = await harness({
      sync: false,
      functions: (client) => [
        client.createFunction(
          { id: "odd-cancel", triggers: [{ event: "test/odd" }], cancelOn: [{ event: "test/stop", if: "async.data.n > event.data.n" }] },
          async () => undefined,
        ),
      ],
    });
    await expect(h.engine.sync()).rejects.toThrow(
      /Function "engine-test-odd-cancel" cannot run on Trawl's offline engine: cancelOn condition: Unsupported expression "async\.data\.n > event\.data\.n"/,
    );
    expect(h.engine.registeredFunctions()).toEqual([]);
  });

  it("rejects at registration a feature it does not implement, naming it", async () => {
    const h = await harness({
      sync: false,
      functions: (client) => [
        client.createFunction(
          { id: "throttled", triggers: [{ event: "test/t" }], throttle: { limit: 1, period: "1m" } },
          async () => undefined,
        ),
      ],
    });
    await expect(h.engine.sync()).rejects.toThrow(
      /"engine-test-throttled" cannot run on Trawl's offline engine: throttle is not supported/,
    );
  });
});

describe("cron triggers", () => {
  it("starts a cron function on its schedule with Inngest's scheduled-timer event, and stops with the engine", async () => {
    const fired: unknown[] = [];
    const h = await harness({
      functions: (client) => [
        client.createFunction({ id: "every-second", triggers: [{ cron: "TZ=UTC * * * * * *" }] }, async ({ event, step }) => {
          await step.run("note", () => fired.push({ name: event.name, data: event.data }));
        }),
      ],
    });
    await h.waitForRun("every-second", "completed");
    expect(fired[0]).toEqual({ name: "inngest/scheduled.timer", data: { cron: "TZ=UTC * * * * * *" } });
    await h.engine.stop();
    const count = fired.length;
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(fired.length).toBe(count);
  });

  it("rejects at registration a schedule it cannot read", async () => {
    const h = await harness({
      sync: false,
      functions: (client) => [client.createFunction({ id: "bad-cron", triggers: [{ cron: "every tuesday" }] }, async () => undefined)],
    });
    await expect(h.engine.sync()).rejects.toThrow(
      /"engine-test-bad-cron" cannot run on Trawl's offline engine: cron trigger "every tuesday": /,
    );
  });
});

describe("cancelOn", () => {
  it("cancels the matching run mid-way while a run for another job continues", async () => {
    const trace: string[] = [];
    const waiting = latches<string>();
    const gate = latches();
    const h = await harness({
      functions: (client) => [
        client.createFunction(
          {
            id: "cancellable",
            triggers: [{ event: "test/job.requested" }],
            cancelOn: [{ event: "test/job.cancelled", match: "data.jobId" }],
          },
          async ({ event, step, runId }) => {
            const jobId = String(event.data.jobId);
            await step.run("begin", () => trace.push(`begin-${jobId}`));
            await step.run("wait", async () => {
              trace.push(`wait-${jobId}`);
              waiting(jobId).resolve(runId);
              await gate(jobId).promise;
            });
            await step.run("finish", () => trace.push(`finish-${jobId}`));
          },
        ),
      ],
    });
    await h.client.send([
      { name: "test/job.requested", data: { jobId: "a" } },
      { name: "test/job.requested", data: { jobId: "b" } },
    ]);
    const runA = await waiting("a").promise;
    const runB = await waiting("b").promise;

    await h.client.send({ name: "test/job.cancelled", data: { jobId: "a" } });

    expect(h.engine.activeRuns().map((run) => [run.runId, run.status])).toEqual(
      expect.arrayContaining([
        [runA, "cancelling"],
        [runB, "running"],
      ]),
    );
    gate("a").resolve();
    await h.waitForRun("cancellable", "cancelled", runA);
    expect(h.logs.matching(new RegExp(`^run ${escape(runA)} .* dropped the result of .*: the run was cancelled`))).toHaveLength(1);
    expect(
      h.logs.matching(
        new RegExp(
          `^run ${escape(runA)} .* cancelled: event test/job.cancelled .* matched cancelOn "event\\.data\\.jobId == async\\.data\\.jobId"`,
        ),
      ),
    ).toHaveLength(1);

    gate("b").resolve();
    await h.waitForRun("cancellable", "completed", runB);
    expect(trace.filter((entry) => entry.endsWith("-a"))).toEqual(["begin-a", "wait-a"]);
    expect(trace.filter((entry) => entry.endsWith("-b"))).toEqual(["begin-b", "wait-b", "finish-b"]);
  });
});

describe("cancelOn timeout", () => {
  it("ignores a cancel event that arrives after the rule's timeout", async () => {
    const inStep = latch();
    const gate = latch();
    const h = await harness({
      functions: (client) => [
        client.createFunction(
          {
            id: "short-cancel-window",
            triggers: [{ event: "test/window" }],
            cancelOn: [{ event: "test/window.cancelled", match: "data.jobId", timeout: "1s" }],
          },
          async ({ step }) => {
            await step.run("hold", async () => {
              inStep.resolve();
              await gate.promise;
            });
          },
        ),
      ],
    });
    await h.client.send({ name: "test/window", data: { jobId: "w" } });
    await inStep.promise;
    // The one real wait in these tests: the cancel window is 1 s (the SDK's smallest unit).
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    await h.client.send({ name: "test/window.cancelled", data: { jobId: "w" } });
    expect(h.engine.activeRuns().map((run) => run.status)).toEqual(["running"]);
    gate.resolve();
    await h.waitForRun("short-cancel-window", "completed");
  });
});

describe("concurrency", () => {
  it("serialises runs with the same key (limit 1) and lets other keys run", async () => {
    const order: string[] = [];
    const started = latches();
    const gate = latches();
    const h = await harness({
      functions: (client) => [
        client.createFunction(
          { id: "serial", triggers: [{ event: "test/serial" }], concurrency: [{ key: "event.data.key", limit: 1 }] },
          async ({ event, step }) => {
            const n = String(event.data.n);
            await step.run("hold", async () => {
              order.push(`start-${n}`);
              started(n).resolve();
              await gate(n).promise;
              order.push(`end-${n}`);
            });
          },
        ),
      ],
    });
    await h.client.send({ name: "test/serial", data: { key: "same", n: 1 } });
    await h.client.send({ name: "test/serial", data: { key: "same", n: 2 } });
    await h.client.send({ name: "test/serial", data: { key: "other", n: 3 } });
    await started("1").promise;
    await started("3").promise;
    const runs = h.engine.activeRuns();
    expect(runs.map((run) => [(run.event.data as { n: number }).n, run.status])).toEqual([
      [1, "running"],
      [2, "queued"],
      [3, "running"],
    ]);

    gate("1").resolve();
    await started("2").promise;
    gate("2").resolve();
    gate("3").resolve();
    for (const run of runs) await h.waitForRun("serial", "completed", run.runId);
    expect(order.indexOf("end-1")).toBeLessThan(order.indexOf("start-2"));
    expect(order.indexOf("start-3")).toBeLessThan(order.indexOf("end-1"));
    expect(
      h.logs.matching(/^run \S+ \(engine-test-serial\) queued .*concurrency event\.data\.key \(limit 1\) for "same" is full/),
    ).toHaveLength(1);
  });
});

describe("request timeout", () => {
  const releaseFirst = latch();
  afterEach(() => releaseFirst.resolve());

  it("retries a step whose request timed out, like a 5xx", async () => {
    let executions = 0;
    const h = await harness({
      engine: { requestTimeoutMs: 500 },
      functions: (client) => [
        client.createFunction({ id: "slow-once", triggers: [{ event: "test/slow" }], retries: 2 }, async ({ step }) => {
          await step.run("slow", async () => {
            executions += 1;
            // The first execution hangs until the test ends; only a timeout gets the run past it.
            if (executions === 1) await releaseFirst.promise;
          });
        }),
      ],
    });
    await h.client.send({ name: "test/slow", data: {} });
    const runId = await h.waitForRun("slow-once", "completed");
    expect(executions).toBe(2);
    expect(
      h.logs.matching(new RegExp(`^run ${escape(runId)} .* failed on attempt 1/3: POST \\S+ timed out after 500 ms; retrying`)),
    ).toHaveLength(1);
  });
});

describe("stop", () => {
  it("abandons in-flight runs and resolves", async () => {
    const inStep = latch();
    const never = latch();
    const h = await harness({
      functions: (client) => [
        client.createFunction({ id: "forever", triggers: [{ event: "test/forever" }] }, async ({ step }) => {
          await step.run("block", async () => {
            inStep.resolve();
            await never.promise;
          });
        }),
      ],
    });
    await h.client.send({ name: "test/forever", data: {} });
    await inStep.promise;
    await h.engine.stop();
    never.resolve();
    expect(h.engine.activeRuns()).toEqual([]);
    expect(h.logs.matching(/^run \S+ \(engine-test-forever\) abandoned: the engine stopped/)).toHaveLength(1);
  });
});

describe("Inngest's limits on a run", () => {
  it("fails a run with more steps than its limit allows, as Inngest does at 1,000", async () => {
    const h = await harness({
      engine: { limits: { ...RUN_LIMITS, steps: 5 } },
      functions: (client) => [
        client.createFunction({ id: "many-steps", triggers: [{ event: "test/many" }] }, async ({ step }) => {
          for (let n = 0; n < 10; n++) await step.run(`step ${n}`, () => n);
        }),
      ],
    });
    await h.client.send({ name: "test/many", data: {} });
    const runId = await h.waitForRun("many-steps", "failed");
    expect(
      h.logs.matching(new RegExp(`^run ${escape(runId)} .* failed.*exceeds a limit of a function run: it has more than 5 steps`)),
    ).toHaveLength(1);
  });

  it("fails a run whose step returns more than Inngest's 4 MB", async () => {
    const h = await harness({
      functions: (client) => [
        client.createFunction({ id: "big-step", triggers: [{ event: "test/big" }] }, async ({ step }) => {
          await step.run("big", () => "x".repeat(5 * 1024 * 1024));
          await step.run("after", () => "never");
        }),
      ],
    });
    await h.client.send({ name: "test/big", data: {} });
    const runId = await h.waitForRun("big-step", "failed");
    expect(
      h.logs.matching(new RegExp(`^run ${escape(runId)} .* failed.*a step returned 5\\.0 MB, more than the 4\\.0 MB a step may`)),
    ).toHaveLength(1);
  });

  it("fails a run whose state grows past its limit, as Inngest does at 32 MB", async () => {
    const h = await harness({
      engine: { limits: { ...RUN_LIMITS, stateBytes: 100_000 } },
      functions: (client) => [
        client.createFunction({ id: "fat-state", triggers: [{ event: "test/fat" }] }, async ({ step }) => {
          for (let n = 0; n < 5; n++) await step.run(`chunk ${n}`, () => "y".repeat(40_000));
        }),
      ],
    });
    await h.client.send({ name: "test/fat", data: {} });
    const runId = await h.waitForRun("fat-state", "failed");
    expect(h.logs.matching(new RegExp(`^run ${escape(runId)} .* failed.*its state is 0\\.1 MB, more than 0\\.1 MB`))).toHaveLength(1);
  });
});
