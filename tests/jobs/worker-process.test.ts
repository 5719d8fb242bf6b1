import { startScript, type RunningProcess } from "@/tests/support/child-process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLocalEngine, type LocalEngine } from "@/engine";
import { config } from "@/lib/config";
import { db } from "@/lib/db";
import { runHealthChecks } from "@/lib/health";
import { createJob } from "@/lib/jobs/create";
import { createJobInput } from "@/lib/jobs/input";
import { closedPort } from "@/tests/support/engine-harness";
import { startFixtureSite, type FixtureSite } from "@/tests/support/fixture-site";
import { ownerId } from "@/tests/support/users";

// The job worker as its own process (scripts/worker.ts, as npm start runs it): the offline
// engine in this process sends every step to it over HTTP, so this process runs none; killed
// with SIGKILL in the middle of a job and started again, it finishes the job without a
// duplicate; while it is down the health check names it.

let site: FixtureSite;
let engine: LocalEngine;
let worker: RunningProcess | undefined;
let workerPort: number;
let enginePort: number;

async function startWorker() {
  worker = await startScript(
    "scripts/worker.ts",
    {
      TRAWL_WORKERS: "1",
      TRAWL_WORKER_PORT: String(workerPort),
      TRAWL_ENGINE_PORT: String(enginePort),
      TRAWL_FETCH_ALLOW_HOSTS: site.hostPort,
      TRAWL_LOG_LEVEL: "warn",
    },
    `http://127.0.0.1:${workerPort}/api/inngest`,
  );
}

const killWorker = () => worker?.kill();

beforeAll(async () => {
  site = await startFixtureSite();
  workerPort = await closedPort();
  enginePort = await closedPort();
  // This process's configuration names the worker too (its health check probes it).
  process.env.TRAWL_WORKERS = "1";
  process.env.TRAWL_WORKER_PORT = String(workerPort);
  process.env.TRAWL_ENGINE_PORT = String(enginePort);
  await startWorker();
  engine = await startLocalEngine({ port: enginePort, appServeUrls: config().workers.map((w) => w.serveUrl), log: () => undefined });
  await engine.sync();
}, 60_000);

afterAll(async () => {
  await killWorker();
  await engine?.stop();
  await site?.close();
  await db().$disconnect();
});

const sendToEngine = async (event: { name: string; data: Record<string, unknown> }) => {
  const response = await fetch(`${engine.url}/e/test`, { method: "POST", body: JSON.stringify([event]) });
  if (!response.ok) throw new Error(`the engine refused the event: HTTP ${response.status}`);
  return response.json();
};

async function waitForJob(jobId: string, done: (job: { status: string; downloaded: number }) => boolean, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const job = await db().job.findUniqueOrThrow({ where: { id: jobId } });
    if (done(job)) return job;
    if (Date.now() > deadline) throw new Error(`job ${jobId} is still ${job.status} (${job.downloaded} downloaded):\n${worker?.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** A Web page job over a gallery of distinct images numbered from `start` (other jobs' images would be skipped as already in Assets). */
async function galleryJob(images: number, start: number, delayMs: number) {
  const { jobId } = await createJob(
    db(),
    sendToEngine,
    await ownerId(),
    createJobInput.parse({
      sources: ["web-page"],
      mediaTypes: "images",
      maxItems: 500,
      targetUrls: [`${site.url}/gallery.html?images=${images}&start=${start}&videos=0&delay=${delayMs}`],
    }),
  );
  return jobId;
}

describe("the job worker process", () => {
  it("runs the job's steps, sent by the engine over HTTP", async () => {
    const jobId = await galleryJob(5, 1, 0);
    const job = await waitForJob(jobId, (j) => j.status === "completed");
    expect(job.downloaded).toBe(5);
    expect(engine.registeredFunctions()).toContain("trawl-run-job");
  });

  it("finishes a job without duplicates after a SIGKILL in the middle, and the health check names it while it is down", async () => {
    const jobId = await galleryJob(40, 101, 150);
    await waitForJob(jobId, (j) => j.downloaded >= 3);
    await killWorker();

    const health = await runHealthChecks(db(), config(), {
      engine: { mode: "offline", probe: async () => ({ ok: true, detail: "" }) },
      startupProblems: [],
    });
    const check = health.checks.find((c) => c.name === "worker 1");
    expect(check).toMatchObject({ ok: false, detail: expect.stringMatching(/is down/) });
    expect(health.ok).toBe(false);

    await new Promise((resolve) => setTimeout(resolve, 500));
    await startWorker();
    const job = await waitForJob(jobId, (j) => !["queued", "running"].includes(j.status), 90_000);
    const items = await db().item.findMany({ where: { jobId } });
    expect(job.status).toBe("completed");
    expect(job.downloaded).toBe(40);
    expect(items).toHaveLength(40);
    expect(items.filter((i) => i.status !== "downloaded")).toEqual([]);
    const assets = await db().asset.findMany({ where: { jobId } });
    expect(assets).toHaveLength(40);
    expect(new Set(assets.map((a) => a.sha256)).size).toBe(40);
    expect(new Set(items.map((i) => i.assetId)).size).toBe(40);

    const healthy = await runHealthChecks(db(), config(), {
      engine: { mode: "offline", probe: async () => ({ ok: true, detail: "" }) },
      startupProblems: [],
    });
    expect(healthy.checks.find((c) => c.name === "worker 1")).toMatchObject({ ok: true });
  }, 150_000);
});
