import http from "node:http";
import type { AddressInfo } from "node:net";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { jobWorld } from "@/tests/support/job-world";
import { cancelJob } from "./control";
import { createJob } from "./create";
import { createJobInput } from "./input";
import { downloadBatch, searchSourcePage, startJob } from "./run";
import { ownerId } from "@/tests/support/users";

// A media host that counts the transfers in flight and can ask for a pause (429 + Retry-After).
let server: http.Server;
let origin: string;
let inFlight = 0;
let maxInFlight = 0;
const arrivals: Array<{ path: string; at: number; status?: number }> = [];
const limited = new Set<string>();

beforeAll(async () => {
  server = http.createServer(async (req, res) => {
    const path = req.url ?? "/";
    const arrival: (typeof arrivals)[number] = { path, at: Date.now() };
    arrivals.push(arrival);
    const n = Number(/(\d+)\.png/.exec(path)?.[1] ?? 0);
    if (path.startsWith("/limited/") && !limited.has(path)) {
      limited.add(path);
      arrival.status = 429;
      res.writeHead(429, { "retry-after": "1" }).end();
      return;
    }
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    await new Promise((resolve) => setTimeout(resolve, path.startsWith("/slow/") ? 500 : 120));
    const png = await sharp({ create: { width: 8, height: 8, channels: 3, background: { r: n, g: 255 - n, b: (n * 7) % 256 } } })
      .png()
      .toBuffer();
    inFlight--;
    arrival.status = 200;
    res.writeHead(200, { "content-type": "image/png", "content-length": png.length }).end(png);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  origin = `http://127.0.0.1:${port}`;
  process.env.TRAWL_FETCH_ALLOW_HOSTS = `127.0.0.1:${port}`;
  process.env.TRAWL_DOWNLOAD_CONNECTIONS_PER_HOST = "2";
  process.env.TRAWL_DOWNLOAD_CONCURRENCY = "8";
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});
const world = jobWorld({ site: false });

async function readyJob(paths: string[]) {
  const input = createJobInput.parse({
    sources: ["direct-links"],
    targetUrls: paths.map((p) => `${origin}${p}`),
    mediaTypes: "images",
    maxItems: 50,
  });
  const { jobId } = await createJob(db(), world.intake.send, await ownerId(), input);
  await startJob(db(), jobId, "test-run");
  await searchSourcePage(db(), jobId, "direct-links", null, 0);
  return jobId;
}

async function downloadAll(jobId: string) {
  while (!(await downloadBatch(db(), jobId, "direct-links")).done);
}

describe("politeness towards media hosts", () => {
  it("shares the per-host connection limit between jobs, while each job works on more items than that", async () => {
    const a = await readyJob([1, 2, 3, 4, 5].map((n) => `/a/${n}.png`));
    const b = await readyJob([6, 7, 8, 9, 10].map((n) => `/b/${n}.png`));
    maxInFlight = 0;
    await Promise.all([downloadAll(a), downloadAll(b)]);
    expect(maxInFlight).toBe(2);
    expect(await db().item.count({ where: { jobId: { in: [a, b] }, status: "downloaded" } })).toBe(10);
  });

  it("starts no transfer for an item still waiting for its host once the job is cancelled", async () => {
    const job = await readyJob([21, 22, 23, 24, 25, 26].map((n) => `/slow/${n}.png`));
    arrivals.length = 0;
    const downloading = downloadAll(job);
    while (arrivals.length < 2) await new Promise((resolve) => setTimeout(resolve, 10));
    await cancelJob(db(), world.intake.send, await ownerId(), job);
    await downloading;
    // The two transfers in flight finish and are recorded; the four waiting items never asked the host (the cancel marks them skipped).
    expect(arrivals).toHaveLength(2);
    const items = await db().item.groupBy({ by: ["status"], where: { jobId: job }, _count: { _all: true } });
    expect(Object.fromEntries(items.map((g) => [g.status, g._count._all]))).toEqual({ downloaded: 2, skipped: 4 });
  });

  it("pauses the whole host after a 429 with Retry-After, for every item of every job", async () => {
    const job = await readyJob(["/limited/11.png", "/limited/12.png", "/limited/13.png"]);
    arrivals.length = 0;
    await downloadAll(job);
    expect(await db().item.count({ where: { jobId: job, status: "downloaded" } })).toBe(3);
    // The first answers (as many as the host's connection limit) were 429; nothing was asked
    // of the host until its "wait 1 s" had passed, and then every item was fetched.
    const pausedAt = arrivals[0].at;
    const beforeWait = arrivals.filter((r) => r.at < pausedAt + 900);
    expect(beforeWait.map((r) => r.status)).toEqual([429, 429]);
    const afterWait = arrivals.filter((r) => r.at >= pausedAt + 900);
    expect(afterWait.filter((r) => r.status === 200)).toHaveLength(3);
  });
});
