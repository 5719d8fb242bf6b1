// What the pages' polls cost while jobs run: npm run bench:dashboard. Starts a production Trawl
// (scripts/serve.mjs: the web server and its job worker), fills its database with finished jobs
// (20 items and 5 files each), starts Web page jobs fed by a slow local site, and polls the
// dashboard's and job pages' API at a fixed rate from a load generator in another process
// (bench/poll-load.ts). Prints p50/p90/p99 (median of BENCH_ROUNDS rounds), the answers by
// status, the errors, and the web and worker processes' CPU and memory. Build first.
import { execFile } from "node:child_process";
import fs from "node:fs";
import { promisify } from "node:util";
import Database from "better-sqlite3";
import { startTrawl, type TrawlServer } from "../e2e/support/trawl-server";
import { startFixtureSite, type FixtureSite } from "../tests/support/fixture-site";

const FINISHED = Number(process.env.BENCH_FINISHED_JOBS ?? 10_000);
const RUNNING = Number(process.env.BENCH_RUNNING_JOBS ?? 10);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const WORKERS = process.env.TRAWL_WORKERS ?? "1";
const execFileAsync = promisify(execFile);
const CLOCK_TICKS = 100;

interface LoadResult {
  requests: number;
  achievedRate: number;
  p50: number;
  p90: number;
  p99: number;
  statuses: Record<string, number>;
  errors: number;
  firstErrors: string[];
}

interface ProcessSample {
  cpuSeconds: number;
  rssMb: number;
}

function sample(pid: number): ProcessSample {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const ticks = Number(fields[11]) + Number(fields[12]); // utime + stime
  const rss = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"))?.[1];
  return { cpuSeconds: ticks / CLOCK_TICKS, rssMb: Number(rss ?? 0) / 1024 };
}

/** The supervisor's children: the web server and the job workers. */
async function processes(trawl: TrawlServer) {
  const supervisor = trawl.processGroup();
  if (!supervisor) throw new Error("Trawl is not running");
  const { stdout } = await execFileAsync("ps", ["-o", "pid=,args=", "--ppid", String(supervisor)]);
  return stdout
    .trim()
    .split("\n")
    .map((line) => /^\s*(\d+)\s+(.*)$/.exec(line))
    .flatMap((match) => (match ? [{ pid: Number(match[1]), name: match[2].includes("worker.ts") ? "worker" : "web" }] : []));
}

function fillFinishedJobs(trawl: TrawlServer, count: number) {
  const started = performance.now();
  const file = `${trawl.dataDir}/trawl.db`;
  const fill = new Database(file);
  fill.pragma("journal_mode = WAL");
  fill.pragma("busy_timeout = 10000");
  const { id: userId } = fill.prepare(`SELECT id FROM "User" WHERE username = ?`).get(trawl.admin.username) as { id: string };
  const insertJob = fill.prepare(
    `INSERT INTO "Job" (id, userId, query, targetUrls, mediaTypes, maxItems, status, detected, downloaded, createdAt, updatedAt, heartbeatAt, startedAt, finishedAt)
     VALUES (?, ?, ?, '[]', 'images', 20, 'completed', 20, 20, ?, ?, ?, ?, ?)`,
  );
  const insertSource = fill.prepare(
    `INSERT INTO "JobSource" (id, jobId, sourceId, status, detected, downloaded, updatedAt) VALUES (?, ?, 'openverse', 'completed', 20, 20, ?)`,
  );
  const insertItem = fill.prepare(
    `INSERT INTO "Item" (id, jobId, sourceId, remoteId, mediaType, mediaUrl, status, attempts, bytes, assetId, createdAt, updatedAt)
     VALUES (?, ?, 'openverse', ?, 'image', ?, 'downloaded', 1, 1000, ?, ?, ?)`,
  );
  const insertAsset = fill.prepare(
    `INSERT INTO "Asset" (id, userId, sha256, mime, ext, mediaType, bytes, storageKey, originalName, sourceId, jobId, mediaUrl, createdAt)
     VALUES (?, ?, ?, 'image/png', 'png', 'image', 1000, ?, ?, 'openverse', ?, ?, ?)`,
  );
  const insertEvent = fill.prepare(`INSERT INTO "JobEvent" (jobId, level, message, createdAt) VALUES (?, 'info', ?, ?)`);
  const base = Date.parse("2025-01-01T00:00:00Z");
  fill.transaction(() => {
    for (let j = 0; j < count; j++) {
      const jobId = `bench-job-${j}`;
      const at = new Date(base + j * 60_000).toISOString();
      insertJob.run(jobId, userId, `bench query ${j}`, at, at, at, at, at);
      insertSource.run(`bench-src-${j}`, jobId, at);
      for (let i = 0; i < 20; i++) {
        const assetId = i < 5 ? `bench-asset-${j}-${i}` : null;
        const url = `https://example.org/${j}/${i}.png`;
        if (assetId) {
          const sha = `${j.toString(16).padStart(8, "0")}${i.toString(16).padStart(56, "0")}`;
          insertAsset.run(assetId, userId, sha, `files/${sha}.png`, `${i}.png`, jobId, url, at);
        }
        insertItem.run(`bench-item-${j}-${i}`, jobId, `remote-${i}`, url, assetId, at, at);
      }
      insertEvent.run(jobId, `bench job ${j} done`, at);
    }
  })();
  fill.close();
  return (performance.now() - started) / 1000;
}

async function startRunningJobs(trawl: TrawlServer, site: FixtureSite, count: number) {
  const ids: string[] = [];
  for (let k = 0; k < count; k++) {
    // A slow site: every image takes 3 s, and 10 jobs share its 4 connections, so they keep running.
    const gallery = `${site.url}/gallery.html?images=400&videos=0&start=${10_000 + k * 1_000}&delay=3000`;
    const response = await trawl.api("/api/jobs", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ sources: ["web-page"], targetUrls: [gallery], mediaTypes: "images", maxItems: 400 }),
    });
    if (response.status !== 201) throw new Error(`creating a running job failed: HTTP ${response.status} ${await response.text()}`);
    ids.push(((await response.json()) as { jobId: string }).jobId);
  }
  // Let them get going: searched, downloading.
  await new Promise((resolve) => setTimeout(resolve, 5_000));
  return ids;
}

async function load(trawl: TrawlServer, rate: number, jobIds: string[]) {
  const { stdout } = await execFileAsync(
    process.execPath,
    ["--import", "tsx", "bench/poll-load.ts", trawl.url, trawl.admin.cookie, String(rate), String(SECONDS), jobIds.join(",")],
    { maxBuffer: 16 * 1024 * 1024 },
  );
  return JSON.parse(stdout.trim().split("\n").at(-1)!) as LoadResult;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function scenario(label: string, trawl: TrawlServer, rate: number, jobIds: string[]) {
  const procs = await processes(trawl);
  const rounds: Array<LoadResult & { usage: string }> = [];
  for (let round = 0; round < ROUNDS; round++) {
    const before = new Map(procs.map((p) => [p.pid, sample(p.pid)]));
    const started = performance.now();
    const result = await load(trawl, rate, jobIds);
    const wall = (performance.now() - started) / 1000;
    const usage = procs
      .map((p) => {
        const after = sample(p.pid);
        const cpu = (100 * (after.cpuSeconds - before.get(p.pid)!.cpuSeconds)) / wall;
        return `${p.name} ${cpu.toFixed(0)}% CPU, ${after.rssMb.toFixed(0)} MB`;
      })
      .join("; ");
    rounds.push({ ...result, usage });
  }
  const line = (r: LoadResult & { usage: string }, i: number) =>
    `    round ${i + 1}: p50 ${r.p50.toFixed(1)} ms, p90 ${r.p90.toFixed(1)} ms, p99 ${r.p99.toFixed(1)} ms; ${r.requests} requests at ${r.achievedRate.toFixed(0)}/s; ` +
    `answers ${JSON.stringify(r.statuses)}; ${r.errors} errors${r.errors ? ` (${r.firstErrors.join("; ")})` : ""}; ${r.usage}`;
  console.log(
    [
      `${label} at ${rate} requests/s (${WORKERS} worker(s)):`,
      ...rounds.map(line),
      `  median: p50 ${median(rounds.map((r) => r.p50)).toFixed(1)} ms | p90 ${median(rounds.map((r) => r.p90)).toFixed(1)} ms | p99 ${median(rounds.map((r) => r.p99)).toFixed(1)} ms | errors ${rounds.reduce((n, r) => n + r.errors, 0)}`,
    ].join("\n"),
  );
}

async function cancelAll(trawl: TrawlServer, jobIds: string[]) {
  for (const id of jobIds) await trawl.api(`/api/jobs/${id}/cancel`, { method: "POST" });
}

async function main() {
  const site = await startFixtureSite();
  const env = { TRAWL_LOG_LEVEL: "warn", TRAWL_WORKERS: WORKERS };
  console.log(`bench:dashboard: ${FINISHED} finished jobs, ${RUNNING} running, ${ROUNDS} round(s) of ${SECONDS} s per scenario`);
  const full = await startTrawl({ allowHosts: [site.hostPort], env });
  try {
    console.log(`filled ${FINISHED} finished jobs (20 items, 5 files each) in ${fillFinishedJobs(full, FINISHED).toFixed(1)} s`);
    await scenario(`${FINISHED} finished, none running`, full, 300, []);
    await scenario(`${FINISHED} finished, none running`, full, 100, []);
    const running = await startRunningJobs(full, site, RUNNING);
    await scenario(`${FINISHED} finished, ${RUNNING} running`, full, 100, running);
    await cancelAll(full, running);
  } finally {
    await full.kill();
  }
  const empty = await startTrawl({ allowHosts: [site.hostPort], env });
  try {
    const running = await startRunningJobs(empty, site, RUNNING);
    await scenario(`none finished, ${RUNNING} running`, empty, 100, running);
    await cancelAll(empty, running);
  } finally {
    await empty.kill();
    await site.close();
  }
}

await main();
