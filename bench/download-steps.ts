// Where a job's time goes without the engine and the web server: the job's steps run
// in this process, one after another (as the job function would run them for one source),
// against the media site in another process. Prints each step's time and the cost per file.
//   BENCH_FILES (1000)   BENCH_PROFILE=<dir> writes a CPU profile of this process there.
// Run: npx tsx bench/download-steps.ts
import { execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import inspector from "node:inspector/promises";
import os from "node:os";
import path from "node:path";
import readline from "node:readline";
import { ownerId } from "../tests/support/users";

const FILES = Number(process.env.BENCH_FILES ?? 1000);
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "trawl-bench-steps-"));

async function startMediaProcess() {
  const child = spawn(process.execPath, ["--import", "tsx", "bench/media-server.ts"], {
    env: { ...process.env, BENCH_FILES: String(FILES) },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const first = await new Promise<string>((resolve, reject) => {
    readline.createInterface({ input: child.stdout! }).once("line", resolve);
    child.once("exit", (code) => reject(new Error(`media server exited with ${code}`)));
  });
  return { ...(JSON.parse(first) as { origin: string; hostPort: string; pngBytes: number }), pid: child.pid!, stop: () => child.kill() };
}

/** CPU time a process has used so far (Linux /proc), in seconds. */
function cpuSeconds(pid: number) {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
  // utime and stime are fields 14 and 15 of stat(5), counted from the state field (3).
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

async function main() {
  const media = await startMediaProcess();
  process.env.TRAWL_DATA_DIR = dataDir;
  process.env.DATABASE_URL = `file:${path.join(dataDir, "trawl.db")}`;
  process.env.TRAWL_FETCH_ALLOW_HOSTS = media.hostPort;
  process.env.TRAWL_LOG_LEVEL = "warn";
  execFileSync(process.execPath, ["scripts/prisma.mjs", "migrate", "deploy"], { stdio: "ignore" });
  // Imported only now: the modules read their settings from the environment set above.
  const { db } = await import("@/lib/db");
  const { createJob } = await import("@/lib/jobs/create");
  const { downloadBatch, finishJob, finishSource, searchSourcePage, startJob } = await import("@/lib/jobs/run");

  const profileDir = process.env.BENCH_PROFILE;
  const session = new inspector.Session();
  if (profileDir) {
    session.connect();
    await session.post("Profiler.enable");
    await session.post("Profiler.start");
  }
  const timings: Array<[string, number, number]> = [];
  const time = async <T>(label: string, work: () => Promise<T>) => {
    const started = performance.now();
    const cpu = process.cpuUsage();
    const result = await work();
    const used = process.cpuUsage(cpu);
    timings.push([label, performance.now() - started, (used.user + used.system) / 1000]);
    return result;
  };
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  const mediaCpuBefore = cpuSeconds(media.pid);
  const owner = await ownerId();
  const { jobId } = await time("create", () =>
    createJob(db(), async () => ({ ids: ["bench"] }), owner, {
      query: "",
      sources: ["web-page"],
      targetUrls: [`${media.origin}/small.html`],
      mediaTypes: "images",
      maxItems: FILES,
      safeSearch: true,
      redownload: false,
    }),
  );
  await time("start", () => startJob(db(), jobId, "bench"));
  let cursor: string | null = null;
  let searching = true;
  for (let round = 0; ; round++) {
    if (searching) {
      const page = await time(`search ${round}`, () => searchSourcePage(db(), jobId, "web-page", cursor, round));
      cursor = page.nextCursor;
      searching = !page.done;
    }
    const batch = await time(`download batch ${round}`, () => downloadBatch(db(), jobId, "web-page"));
    if (!searching && batch.done) break;
  }
  await time("finish source", () => finishSource(db(), jobId, "web-page"));
  const finished = await time("finish job", () => finishJob(db(), jobId));
  const total = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  const mediaCpu = cpuSeconds(media.pid) - mediaCpuBefore;

  if (profileDir) {
    const { profile } = await session.post("Profiler.stop");
    fs.mkdirSync(profileDir, { recursive: true });
    fs.writeFileSync(path.join(profileDir, `steps-${process.pid}.cpuprofile`), JSON.stringify(profile));
  }
  const job = await db().job.findUniqueOrThrow({ where: { id: jobId } });
  for (const [label, ms, cpuMs] of timings)
    console.log(`${label.padEnd(20)} ${ms.toFixed(0).padStart(6)} ms  (CPU ${cpuMs.toFixed(0)} ms)`);
  const batches = timings.filter(([label]) => label.startsWith("download"));
  const downloading = batches.reduce((sum, [, ms]) => sum + ms, 0);
  const downloadingCpu = batches.reduce((sum, [, , cpuMs]) => sum + cpuMs, 0);
  console.log(
    `\n${finished.status}: ${job.downloaded} downloaded, ${job.failed} failed in ${(total / 1000).toFixed(2)} s; ` +
      `download batches ${(downloading / 1000).toFixed(2)} s = ${(downloading / Math.max(1, job.downloaded)).toFixed(2)} ms per file ` +
      `(CPU ${(downloadingCpu / Math.max(1, job.downloaded)).toFixed(2)} ms per file)`,
  );
  console.log(
    `CPU: this process ${((cpu.user + cpu.system) / 1e6).toFixed(2)} s (main thread and its thread pool), ` +
      `the media server ${mediaCpu.toFixed(2)} s, on ${os.availableParallelism()} cores`,
  );
  await db().$disconnect();
  media.stop();
}

try {
  await main();
} finally {
  fs.rmSync(dataDir, { recursive: true, force: true });
}
