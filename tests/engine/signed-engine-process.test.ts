import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { requestApp } from "@/engine/app-request";
import { db } from "@/lib/db";
import { ENGINE_FUNCTION_IDS } from "@/inngest/function-ids";
import { probeEngineServer } from "@/lib/health";
import { createJob } from "@/lib/jobs/create";
import { createJobInput } from "@/lib/jobs/input";
import { startScript, type RunningProcess } from "@/tests/support/child-process";
import { closedPort } from "@/tests/support/engine-harness";
import { startFixtureSite, type FixtureSite } from "@/tests/support/fixture-site";
import { ownerId } from "@/tests/support/users";

// The protocol boundary as Inngest Cloud or a self-hosted Inngest would use it: the offline
// engine as its own process (npm run engine) and a job worker in cloud mode (INNGEST_BASE_URL,
// INNGEST_SIGNING_KEY, INNGEST_EVENT_KEY), talking only over HTTP. The engine signs every
// request, takes only signed answers and registrations carrying the key's hash, and refuses
// events without the event key; the SDK refuses unsigned or wrongly signed requests.

const SIGNING_KEY = `signkey-test-${randomBytes(32).toString("hex")}`;
const EVENT_KEY = `evt-${randomBytes(8).toString("hex")}`;
let site: FixtureSite;
let engine: RunningProcess;
let worker: RunningProcess;
let engineUrl: string;
let workerUrl: string;

beforeAll(async () => {
  site = await startFixtureSite();
  const [enginePort, workerPort] = [await closedPort(), await closedPort()];
  engineUrl = `http://127.0.0.1:${enginePort}`;
  workerUrl = `http://127.0.0.1:${workerPort}/api/inngest`;
  const keys = { INNGEST_SIGNING_KEY: SIGNING_KEY, INNGEST_EVENT_KEY: EVENT_KEY, TRAWL_LOG_LEVEL: "warn" };
  worker = await startScript(
    "scripts/worker.ts",
    {
      ...keys,
      INNGEST_BASE_URL: engineUrl,
      TRAWL_WORKERS: "1",
      TRAWL_WORKER_PORT: String(workerPort),
      TRAWL_FETCH_ALLOW_HOSTS: site.hostPort,
    },
    workerUrl,
  );
  engine = await startScript(
    "scripts/engine.ts",
    { ...keys, TRAWL_ENGINE_PORT: String(enginePort), TRAWL_ENGINE_APP_URLS: workerUrl },
    `${engineUrl}/health`,
  );
}, 90_000);

afterAll(async () => {
  await engine?.kill();
  await worker?.kill();
  await site?.close();
});

async function registeredFunctions() {
  for (let attempt = 0; attempt < 100; attempt++) {
    const health = (await (await fetch(`${engineUrl}/health`)).json()) as { functions: string[] };
    if (health.functions.length > 0) return health.functions;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`the engine registered nothing:\n${engine.output()}\n${worker.output()}`);
}

const sendEvent = (key: string) => async (event: { name: string; data: Record<string, unknown> }) => {
  const response = await fetch(`${engineUrl}/e/${key}`, { method: "POST", body: JSON.stringify([event]) });
  if (!response.ok) throw new Error(`the engine refused the event: HTTP ${response.status} ${await response.text()}`);
};

describe("the offline engine as its own process, with Inngest's signing and event keys", () => {
  it("syncs the worker (a registration carrying the signing key's hash) and runs a job to completion", async () => {
    const registered = await registeredFunctions();
    // Every function the worker serves is one the health check asks the engine for (inngest/function-ids.ts).
    expect(registered.toSorted()).toEqual(ENGINE_FUNCTION_IDS.toSorted());
    // The health check of an app pointed at this engine (INNGEST_BASE_URL) asks it, as it asks
    // Inngest, which of Trawl's functions it knows (GET /v1/apps/trawl/functions, with the key's hash).
    expect(await probeEngineServer({ engine: { baseUrl: engineUrl, signingKey: SIGNING_KEY } })).toEqual({
      ok: true,
      detail: `${engineUrl} knows Trawl's ${ENGINE_FUNCTION_IDS.length} functions`,
    });
    const input = createJobInput.parse({
      sources: ["web-page"],
      mediaTypes: "images",
      maxItems: 10,
      targetUrls: [`${site.url}/gallery.html?images=4&start=3100&videos=0`],
    });
    const { jobId } = await createJob(db(), sendEvent(EVENT_KEY), await ownerId(), input);
    const deadline = Date.now() + 60_000;
    let job = await db().job.findUniqueOrThrow({ where: { id: jobId } });
    while (["queued", "running"].includes(job.status) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      job = await db().job.findUniqueOrThrow({ where: { id: jobId } });
    }
    expect(job, `${engine.output()}\n${worker.output()}`).toMatchObject({ status: "completed", downloaded: 4 });
  });

  it("lists the app's functions only to a caller with the signing key, and the health check says why it cannot see them", async () => {
    const otherKey = `signkey-test-${randomBytes(32).toString("hex")}`;
    for (const signingKey of [undefined, otherKey]) {
      const probe = await probeEngineServer({ engine: { baseUrl: engineUrl, signingKey } });
      expect(probe.ok).toBe(false);
      expect(probe.detail).toContain(`did not list Trawl's functions (GET ${engineUrl}/v1/apps/trawl/functions: HTTP 401`);
    }
  });

  it("refuses events sent without the event key", async () => {
    await expect(sendEvent("not-the-key")({ name: "trawl/job.requested", data: {} })).rejects.toThrow(/HTTP 401/);
  });

  it("refuses a registration that does not carry the signing key's hash", async () => {
    const response = await fetch(`${engineUrl}/fn/register`, {
      method: "POST",
      body: JSON.stringify({ appName: "intruder", functions: [] }),
    });
    expect(response.status).toBe(401);
  });

  it("has the SDK refuse a step request that is unsigned or signed with another key", async () => {
    const timing = { timeoutMs: 5_000, stopSignal: new AbortController().signal };
    const payload = { event: { name: "trawl/job.requested", data: {} }, events: [], steps: {}, ctx: { run_id: "r", attempt: 0 } };
    const url = `${workerUrl}?fnId=trawl-trawl-run-job&stepId=step`;
    const unsigned = await requestApp("POST", url, payload, timing);
    expect(unsigned.status).toBe(401);
    const otherKey = await requestApp("POST", url, payload, { ...timing, signingKey: `signkey-test-${randomBytes(32).toString("hex")}` });
    expect(otherKey.status).toBe(401);
  });
});
