import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NonRetriableError, RetryAfterError, type FailureEventArgs } from "inngest";
import { barrier, escape, latch, startHarness, type Harness } from "../tests/support/engine-harness";

// Real SDK (inngest/next serve handlers) on a real local HTTP server, driven by the engine.

const executions = new Map<string, number>();
function executed(name: string) {
  executions.set(name, (executions.get(name) ?? 0) + 1);
}

const sequentialResult = latch<{ a: number; b: number; c: number }>();
const parallelSummary = latch<string[]>();
const flakyAttempts: number[] = [];
const failureSeen = latch<{ message: string; functionId: unknown }>();
const sourcePages = 3;
const sources = ["wikimedia", "openverse", "archive"];
const firstPagesTogether = barrier(sources.length);
let throwsOutsideStep = 1;
let rateLimited = 1;

let h: Harness;

beforeAll(async () => {
  h = await startHarness({
    functions: (client) => [
      client.createFunction({ id: "sequential", triggers: [{ event: "test/sequential" }], retries: 0 }, async ({ step }) => {
        const a = await step.run("a", () => (executed("seq-a"), 1));
        const b = await step.run("b", () => (executed("seq-b"), a + 1));
        const c = await step.run("c", async () => (executed("seq-c"), b + 1));
        sequentialResult.resolve({ a, b, c });
        return a + b + c;
      }),

      client.createFunction({ id: "parallel", triggers: [{ event: "test/parallel" }], retries: 0 }, async ({ step }) => {
        // One sequential loop of steps per source, the loops running side by side.
        const perSource = await Promise.all(
          sources.map(async (source) => {
            const pages: string[] = [];
            for (let page = 0; page < sourcePages; page++) {
              pages.push(
                await step.run(`search-${source}-${page}`, async () => {
                  executed(`search-${source}-${page}`);
                  // Every source's first step waits for the others: only parallel requests get past this.
                  if (page === 0) await firstPagesTogether();
                  return `${source}:${page}`;
                }),
              );
            }
            return pages;
          }),
        );
        const summary = await step.run("summarise", () => (executed("summarise"), perSource.flat()));
        parallelSummary.resolve(summary);
      }),

      client.createFunction({ id: "flaky", triggers: [{ event: "test/flaky" }], retries: 3 }, async ({ step, attempt }) => {
        return step.run("flaky-step", () => {
          executed("flaky");
          flakyAttempts.push(attempt);
          if (flakyAttempts.length <= 2) throw new Error(`transient failure #${flakyAttempts.length}`);
          return "ok";
        });
      }),

      client.createFunction({ id: "exhausted", triggers: [{ event: "test/exhausted" }], retries: 1 }, async ({ step }) => {
        await step.run("always-fails", () => {
          executed("exhausted");
          throw new Error("still broken");
        });
      }),

      client.createFunction(
        {
          id: "fatal",
          triggers: [{ event: "test/fatal" }],
          retries: 3,
          onFailure: async ({ error, event }: FailureEventArgs) => {
            failureSeen.resolve({ message: error.message, functionId: event.data.function_id });
          },
        },
        async ({ step }) => {
          await step.run("validate", () => {
            executed("fatal");
            throw new NonRetriableError("bad input, do not retry");
          });
          await step.run("never", () => executed("fatal-never"));
        },
      ),

      client.createFunction({ id: "throws-outside", triggers: [{ event: "test/throws-outside" }], retries: 2 }, async ({ step }) => {
        await step.run("before", () => executed("outside-before"));
        if (throwsOutsideStep > 0) {
          throwsOutsideStep -= 1;
          executed("outside-throw");
          throw new Error("function body failed outside a step");
        }
        await step.run("after", () => executed("outside-after"));
      }),

      client.createFunction({ id: "fatal-outside", triggers: [{ event: "test/fatal-outside" }], retries: 3 }, async ({ step }) => {
        await step.run("load", () => executed("fatal-outside-load"));
        executed("fatal-outside-throw");
        throw new NonRetriableError("job input is invalid");
      }),

      client.createFunction({ id: "rate-limited", triggers: [{ event: "test/rate-limited" }], retries: 2 }, async ({ step }) => {
        await step.run("call-api", () => {
          executed("rate-limited");
          if (rateLimited-- > 0) throw new RetryAfterError("the API asked us to slow down", "1s");
        });
      }),

      client.createFunction({ id: "sleeper", triggers: [{ event: "test/sleeper" }], retries: 0 }, async ({ step }) => {
        await step.run("before-sleep", () => executed("sleep-before"));
        await step.sleep("nap", "1s");
        await step.run("after-sleep", () => executed("sleep-after"));
      }),

      client.createFunction({ id: "waits-for-event", triggers: [{ event: "test/waits" }], retries: 0 }, async ({ step }) => {
        await step.waitForEvent("wait-for-approval", { event: "test/approved", timeout: "1h" });
      }),
    ],
  });
});

afterAll(async () => {
  await h?.close();
});

describe("offline engine driving the real SDK", () => {
  it("runs sequential steps once each, feeding each result to the next", async () => {
    await h.client.send({ name: "test/sequential", data: {} });
    await h.waitForRun("sequential", "completed");
    expect(await sequentialResult.promise).toEqual({ a: 1, b: 2, c: 3 });
    expect([executions.get("seq-a"), executions.get("seq-b"), executions.get("seq-c")]).toEqual([1, 1, 1]);
  });

  it("runs parallel loops of steps concurrently, each step exactly once", async () => {
    await h.client.send({ name: "test/parallel", data: {} });
    await h.waitForRun("parallel", "completed");
    const expected = sources.flatMap((source) => Array.from({ length: sourcePages }, (_, page) => `${source}:${page}`));
    expect(await parallelSummary.promise).toEqual(expected);
    for (const source of sources) {
      for (let page = 0; page < sourcePages; page++) expect(executions.get(`search-${source}-${page}`)).toBe(1);
    }
    expect(executions.get("summarise")).toBe(1);
  });

  it("retries a failing step (retries: 3) until it succeeds", async () => {
    await h.client.send({ name: "test/flaky", data: {} });
    const runId = await h.waitForRun("flaky", "completed");
    expect(executions.get("flaky")).toBe(3);
    expect(flakyAttempts).toEqual([0, 1, 2]);
    expect(
      h.logs.matching(new RegExp(`^run ${escape(runId)} .*step "flaky-step" failed on attempt \\d/4: transient failure`)),
    ).toHaveLength(2);
  });

  it("fails the run once the retries are used up", async () => {
    await h.client.send({ name: "test/exhausted", data: {} });
    const runId = await h.waitForRun("exhausted", "failed");
    expect(executions.get("exhausted")).toBe(2);
    expect(h.logs.matching(new RegExp(`^run ${escape(runId)} \\(engine-test-exhausted\\) failed .*still broken`))).toHaveLength(1);
  });

  it("does not retry a NonRetriableError, fails the run and runs onFailure with the error", async () => {
    await h.client.send({ name: "test/fatal", data: {} });
    const runId = await h.waitForRun("fatal", "failed");
    expect(await failureSeen.promise).toEqual({ message: "bad input, do not retry", functionId: "engine-test-fatal" });
    await h.waitForRun("fatal-failure", "completed");
    expect(executions.get("fatal")).toBe(1);
    expect(executions.get("fatal-never")).toBeUndefined();
    expect(
      h.logs.matching(
        new RegExp(`^run ${escape(runId)} \\(engine-test-fatal\\) failed after .*NonRetriableError: bad input, do not retry`),
      ),
    ).toHaveLength(1);
  });

  it("retries a function that throws outside a step, replaying memoized steps", async () => {
    await h.client.send({ name: "test/throws-outside", data: {} });
    await h.waitForRun("throws-outside", "completed");
    expect(executions.get("outside-before")).toBe(1);
    expect(executions.get("outside-throw")).toBe(1);
    expect(executions.get("outside-after")).toBe(1);
  });

  it("fails at once, without retries, when the function throws NonRetriableError outside a step", async () => {
    await h.client.send({ name: "test/fatal-outside", data: {} });
    const runId = await h.waitForRun("fatal-outside", "failed");
    expect([executions.get("fatal-outside-load"), executions.get("fatal-outside-throw")]).toEqual([1, 1]);
    expect(
      h.logs.matching(new RegExp(`^run ${escape(runId)} \\(engine-test-fatal-outside\\) failed after .*job input is invalid`)),
    ).toHaveLength(1);
  });

  it("waits as long as Retry-After says before retrying a step", async () => {
    await h.client.send({ name: "test/rate-limited", data: {} });
    const runId = await h.waitForRun("rate-limited", "completed");
    expect(executions.get("rate-limited")).toBe(2);
    expect(h.logs.matching(new RegExp(`^run ${escape(runId)} .*slow down; retrying in 1000 ms`))).toHaveLength(1);
  });

  it("sleeps for step.sleep with a real timer, then continues", async () => {
    await h.client.send({ name: "test/sleeper", data: {} });
    const runId = await h.waitForRun("sleeper", "completed");
    expect(h.logs.matching(new RegExp(`^run ${escape(runId)} .* sleeps 1000 ms at step "nap"`))).toHaveLength(1);
    expect([executions.get("sleep-before"), executions.get("sleep-after")]).toEqual([1, 1]);
  });

  it("fails a run that uses an op the engine does not implement, naming the op", async () => {
    await h.client.send({ name: "test/waits", data: {} });
    const runId = await h.waitForRun("waits-for-event", "failed");
    expect(
      h.logs.matching(new RegExp(`^run ${escape(runId)} .* failed .*op WaitForEvent .* is not supported by Trawl's offline engine`)),
    ).toHaveLength(1);
  });
});
