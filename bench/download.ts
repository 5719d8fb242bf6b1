// Download speed: Trawl end to end (job submitted → completed, through the engine and the
// database) against aria2c fetching the same URLs with the same connection limit.
//   (a) many small files: BENCH_FILES × 256 KB PNGs (default 1000)
//   (b) one large file: BENCH_BIG_MB MB (default 2048)
// Each BENCH_ROUNDS times (3). Prints wall time, throughput, the app's peak memory and the
// Trawl/aria2c ratio of every round, and the median ratio.
// Run: npm run bench:download   (installs Debian's aria2 when missing)
// BENCH_SCALE=1 TEST_DATABASE_URL=postgresql://…: the same on PostgreSQL with files in an S3 bucket (s3rver);
// BENCH_SCALE=postgresql: on PostgreSQL with files on disk.
import { execFile, execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createDb } from "../lib/db";
import { startS3Server } from "../tests/support/s3-server";
import { createDatabase, dropDatabases, newDatabaseName } from "../tests/support/test-databases";
import { promisify } from "node:util";
import { startTrawl, type TrawlServer } from "../e2e/support/trawl-server";
import { startMediaServer } from "./media-server";

const execFileAsync = promisify(execFile);
const FILES = Number(process.env.BENCH_FILES ?? 1000);
const BIG_MB = Number(process.env.BENCH_BIG_MB ?? 2048);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 4);
const WARM_UP_FILES = Number(process.env.BENCH_WARM_UP_FILES ?? 100);
/** Each comparison runs this many times (other files each time); the median ratio is the figure. */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
/** "1": PostgreSQL and an S3 bucket; "postgresql": PostgreSQL with files on disk. */
const SCALE = process.env.BENCH_SCALE;
/** BENCH_PROFILE=<dir>: the app's processes write V8 CPU profiles there (open them in Chrome's DevTools). */
const PROFILE_DIR = process.env.BENCH_PROFILE ? path.resolve(process.env.BENCH_PROFILE) : undefined;
if (PROFILE_DIR) fs.mkdirSync(PROFILE_DIR, { recursive: true });
/** app/_components/job-view.tsx polls a running job this often. */
const JOB_PAGE_POLL_MS = 1000;

/** Resident memory of the app's processes. Asynchronous: the media server shares this event loop. */
async function groupRssMb(pgid: number) {
  const { stdout } = await execFileAsync("ps", ["-o", "rss=", "-g", String(pgid)], { encoding: "utf8" });
  return (
    stdout
      .split("\n")
      .filter(Boolean)
      .reduce((sum, kb) => sum + Number(kb), 0) / 1024
  );
}

async function runTrawlJob(trawl: TrawlServer, body: Record<string, unknown>) {
  const pgid = trawl.processGroup();
  if (!pgid) throw new Error("Trawl is not running");
  const baseline = await groupRssMb(pgid);
  let peak = baseline;
  const sampler = setInterval(() => void groupRssMb(pgid).then((mb) => (peak = Math.max(peak, mb))), 200);
  const submitted = Date.now();
  const created = await trawl.api("/api/jobs", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  if (created.status !== 201) throw new Error(`the job was not created: HTTP ${created.status} ${await created.text()}`);
  const { jobId } = (await created.json()) as { jobId: string };
  let job: { status: string; downloaded: number; failed: number; bytes: number; error: string | null; finishedAt: string | null };
  // One watcher, polling like the job page does (every second). The end is the moment the
  // job was recorded as finished (same machine, same clock), not the next poll.
  for (;;) {
    job = await (await trawl.api(`/api/jobs/${jobId}`)).json();
    if (job.status !== "queued" && job.status !== "running") break;
    await new Promise((resolve) => setTimeout(resolve, JOB_PAGE_POLL_MS));
  }
  if (!job.finishedAt) throw new Error(`job ${jobId} ended (${job.status}) without a finish time`);
  const seconds = (Date.parse(job.finishedAt) - submitted) / 1000;
  const analysedSeconds = await waitForImageAnalysis(trawl, jobId, submitted);
  if (process.env.BENCH_TIMELINE) await printTimeline(trawl, jobId, submitted);
  clearInterval(sampler);
  settle();
  return { seconds, analysedSeconds, job, baselineMb: baseline, peakMb: peak };
}

/** The database the Trawl under test writes (its SQLite file, or the PostgreSQL of BENCH_SCALE). */
const databaseOf = (trawl: TrawlServer) => createDb(trawl.env.DATABASE_URL || `file:${path.join(trawl.dataDir, "trawl.db")}`);

/** Perceptual hashes follow the job (lib/assets/analysis.ts): seconds from submission until the last is stored. */
async function waitForImageAnalysis(trawl: TrawlServer, jobId: string, submitted: number) {
  const client = databaseOf(trawl);
  try {
    const images = { jobId, mediaType: "image" };
    while ((await client.asset.count({ where: { ...images, analysedAt: null } })) > 0)
      await new Promise((resolve) => setTimeout(resolve, 100));
    const last = (await client.asset.aggregate({ where: images, _max: { analysedAt: true } }))._max.analysedAt;
    return last === null ? null : (last.getTime() - submitted) / 1000;
  } finally {
    await client.$disconnect();
  }
}

/** BENCH_TIMELINE=1: when the job's log lines were written, to see where the time goes. */
async function printTimeline(trawl: TrawlServer, jobId: string, submitted: number) {
  const client = databaseOf(trawl);
  try {
    const rows = await client.jobEvent.findMany({ where: { jobId }, orderBy: { id: "asc" }, select: { createdAt: true, message: true } });
    const downloads = rows.filter((r) => r.message.startsWith("Downloaded "));
    const others = rows.filter((r) => !r.message.startsWith("Downloaded "));
    const at = (value: Date | null) => (value ? ((value.getTime() - submitted) / 1000).toFixed(3).padStart(7) : "      -");
    for (const row of others) console.log(`  ${at(row.createdAt)} s  ${row.message}`);
    if (downloads.length > 0) {
      console.log(`  ${at(downloads[0].createdAt)} s  first of ${downloads.length} "Downloaded" lines`);
      console.log(`  ${at(downloads.at(-1)!.createdAt)} s  last "Downloaded" line`);
      const perSecond = new Map<number, number>();
      for (const row of downloads) {
        const tenth = Math.floor((row.createdAt.getTime() - submitted) / 100);
        perSecond.set(tenth, (perSecond.get(tenth) ?? 0) + 1);
      }
      const line = [...perSecond].map(([tenth, n]) => `${(tenth / 10).toFixed(1)}:${n}`).join(" ");
      console.log(`  files recorded per 0.1 s: ${line}`);
    }
    const job = await client.job.findUniqueOrThrow({
      where: { id: jobId },
      select: { createdAt: true, startedAt: true, finishedAt: true },
    });
    console.log(`  job created ${at(job.createdAt)} s, started ${at(job.startedAt)} s, finished ${at(job.finishedAt)} s`);
  } finally {
    await client.$disconnect();
  }
}

/** aria2c runs as a child process; the media server lives in this one, so never block here. */
/** Writes the URLs to a list file in `dir` for the downloader `run` starts, then removes `dir`. */
async function withUrlList<T>(urls: string[], dir: string, run: (list: string) => Promise<T>): Promise<T> {
  const list = path.join(dir, "urls.txt");
  fs.writeFileSync(list, urls.join("\n"));
  try {
    return await run(list);
  } finally {
    // Files left behind would weigh on the page cache (or a tmpfs) while the next side runs.
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function runAria2(urls: string[], dir: string) {
  const seconds = await withUrlList(urls, dir, async (list) => {
    const started = performance.now();
    const child = spawn(
      "aria2c",
      ["-q", "-i", list, "-d", path.join(dir, "out"), `-j${CONNECTIONS}`, "-x1", "--allow-overwrite=true", "--file-allocation=none"],
      { stdio: "inherit" },
    );
    const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
    if (code !== 0) throw new Error(`aria2c exited with ${code}`);
    return (performance.now() - started) / 1000;
  });
  settle();
  return seconds;
}

/** Node's HTTP client alone on the same URLs (bench/fetch-floor.ts), in its own process. */
async function runFetchFloor(urls: string[], dir: string) {
  return withUrlList(urls, dir, async (list) => {
    const { stdout } = await execFileAsync(process.execPath, ["--import", "tsx", "bench/fetch-floor.ts", list, String(CONNECTIONS)], {
      encoding: "utf8",
    });
    return Number(stdout.trim());
  });
}

/** Writes back dirty pages, so neither side pays for the other's writes. */
function settle() {
  execFileSync("sync");
}

function ensureAria2() {
  try {
    execFileSync("aria2c", ["--version"], { stdio: "ignore" });
  } catch {
    console.log("Installing Debian's aria2 for the comparison…");
    execFileSync("bash", ["-c", `${process.getuid?.() === 0 ? "" : "sudo "}apt-get install -y -qq aria2 >/dev/null`], { stdio: "inherit" });
  }
}

/** SIGTERM and a moment to exit, so the processes write their CPU profiles. */
async function stopGently(trawl: TrawlServer) {
  const pgid = trawl.processGroup();
  if (!pgid) return;
  process.kill(-pgid, "SIGTERM");
  await new Promise((resolve) => setTimeout(resolve, 3000));
}

const mb = (bytes: number) => bytes / 1024 / 1024;

interface Round {
  trawl: Awaited<ReturnType<typeof runTrawlJob>>;
  ariaSeconds: number;
  /** Node's HTTP client alone (small files only). */
  floorSeconds?: number;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** One line per round, then the median ratio (the machine's disk makes single runs vary 2×). */
function describeRounds(label: string, bytes: number, rounds: Round[]) {
  const lines = rounds.map(({ trawl: run, ariaSeconds, floorSeconds }, i) => {
    const job = run.job;
    return (
      `  round ${i + 1}: Trawl ${run.seconds.toFixed(2)} s (${(mb(bytes) / run.seconds).toFixed(1)} MB/s; ${job.status}, ${job.downloaded} downloaded, ${job.failed} failed${job.error ? `: ${job.error}` : ""})` +
      `, aria2c ${ariaSeconds.toFixed(2)} s → ${(run.seconds / ariaSeconds).toFixed(2)}×` +
      (floorSeconds === undefined
        ? ""
        : `; Node's HTTP client alone ${floorSeconds.toFixed(2)} s → ${(floorSeconds / ariaSeconds).toFixed(2)}×`) +
      `\n           app memory ${run.baselineMb.toFixed(0)} → ${run.peakMb.toFixed(0)} MB (+${(run.peakMb - run.baselineMb).toFixed(0)} MB)` +
      (run.analysedSeconds === null
        ? ""
        : `; perceptual hashes stored ${(run.analysedSeconds - run.seconds).toFixed(2)} s after the job, off its path`)
    );
  });
  const ratios = rounds.map((r) => r.trawl.seconds / r.ariaSeconds);
  const floors = rounds.flatMap((r) => (r.floorSeconds === undefined ? [] : [r.floorSeconds / r.ariaSeconds]));
  const summary =
    `  median ratio ${median(ratios).toFixed(2)}× aria2c over ${rounds.length} round(s)` +
    (floors.length ? `; the floor (Node's HTTP client alone) ${median(floors).toFixed(2)}×` : "") +
    `; most memory growth +${Math.max(...rounds.map((r) => r.trawl.peakMb - r.trawl.baselineMb)).toFixed(0)} MB`;
  return [label, ...lines, summary].join("\n");
}

/** BENCH_SCALE=1: Trawl on PostgreSQL (a throw-away database on TEST_DATABASE_URL's server) and an S3 bucket (s3rver). */
async function scaleServices(bucket: boolean) {
  const server = process.env.TEST_DATABASE_URL;
  if (!server) throw new Error("BENCH_SCALE=1 needs TEST_DATABASE_URL=postgresql://… (a server where databases may be created)");
  const prefix = newDatabaseName("trawl_bench");
  const s3 = bucket ? await startS3Server("bench") : undefined;
  const env = { ...s3?.env, DATABASE_URL: await createDatabase(server, `${prefix}_app`) };
  console.log(
    `scale profile: PostgreSQL database ${prefix}_app, files ${s3 ? `in ${s3.env.TRAWL_STORAGE_URL} at ${s3.endpoint}` : "on disk"}`,
  );
  return {
    env,
    async close() {
      await s3?.close();
      await dropDatabases(server, prefix);
    },
  };
}

async function main() {
  ensureAria2();
  const media = await startMediaServer({ files: FILES, bigMb: BIG_MB });
  console.log(`media server at ${media.origin}; starting Trawl…`);
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "trawl-bench-dl-"));
  const scale = SCALE ? await scaleServices(SCALE !== "postgresql") : undefined;
  const trawl = await startTrawl({
    allowHosts: [media.hostPort],
    env: {
      ...scale?.env,
      ...(PROFILE_DIR ? { NODE_OPTIONS: `--import ${path.resolve("bench/cpu-profile-hook.mjs")}`, BENCH_PROFILE_DIR: PROFILE_DIR } : {}),
      TRAWL_MAX_FILE_BYTES: String((BIG_MB + 64) * 1024 * 1024),
      TRAWL_DOWNLOAD_CONNECTIONS_PER_HOST: String(CONNECTIONS),
      TRAWL_LOG_LEVEL: "warn",
    },
  });
  try {
    const rows: string[] = [];
    if (WARM_UP_FILES > 0) {
      // Trawl is a long-running server: its first job after a start also pays for compiling
      // its code paths (JIT) and opening connections. That job is timed and shown, not compared.
      console.log(`warm-up: Trawl fetching ${WARM_UP_FILES} other files…`);
      const warm = await runTrawlJob(trawl, {
        sources: ["web-page"],
        targetUrls: [`${media.origin}/small.html?from=${ROUNDS * FILES}&count=${WARM_UP_FILES}`],
        maxItems: WARM_UP_FILES,
        mediaTypes: "images",
      });
      rows.push(`warm-up job (the first after start): ${WARM_UP_FILES} files in ${warm.seconds.toFixed(2)} s, ${warm.job.status}`);
    }
    if (FILES > 0) {
      const rounds: Round[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        // Every round fetches other files: Trawl skips what it already stored.
        const from = round * FILES;
        const urls = Array.from({ length: FILES }, (_, i) => `${media.origin}/small/${from + i}.png`);
        console.log(`(a) round ${round + 1}: aria2c, Node's HTTP client alone, then Trawl fetching ${FILES} files…`);
        const ariaSeconds = await runAria2(urls, fs.mkdtempSync(path.join(scratch, "a-")));
        const floorSeconds = await runFetchFloor(urls, fs.mkdtempSync(path.join(scratch, "floor-")));
        const trawlRun = await runTrawlJob(trawl, {
          sources: ["web-page"],
          targetUrls: [`${media.origin}/small.html?from=${from}&count=${FILES}`],
          maxItems: FILES,
          mediaTypes: "images",
        });
        rounds.push({ trawl: trawlRun, ariaSeconds, floorSeconds });
      }
      rows.push(
        describeRounds(
          `(a) ${FILES} files × ${(media.pngBytes / 1024).toFixed(0)} KB, ${CONNECTIONS} connections`,
          FILES * media.pngBytes,
          rounds,
        ),
      );
    }
    if (BIG_MB > 0) {
      const rounds: Round[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        const url = `${media.origin}/big.mp4?round=${round}`;
        console.log(`(b) round ${round + 1}: aria2c, then Trawl fetching ${BIG_MB} MB…`);
        const ariaSeconds = await runAria2([url], fs.mkdtempSync(path.join(scratch, "b-")));
        const trawlRun = await runTrawlJob(trawl, { sources: ["direct-links"], targetUrls: [url], maxItems: 1, mediaTypes: "videos" });
        rounds.push({ trawl: trawlRun, ariaSeconds });
      }
      rows.push(describeRounds(`(b) one ${BIG_MB} MB file`, BIG_MB * 1024 * 1024, rounds));
    }
    console.log(`\n${rows.join("\n\n")}\n`);
  } finally {
    if (PROFILE_DIR) await stopGently(trawl);
    await trawl.kill();
    await scale?.close();
    await media.close();
    fs.rmSync(scratch, { recursive: true, force: true });
    fs.rmSync(trawl.dataDir, { recursive: true, force: true });
  }
}

await main();
