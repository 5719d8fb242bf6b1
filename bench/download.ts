// Download speed: Trawl end to end (job submitted → completed, through the engine and the
// database) against aria2c fetching the same URLs with the same connection limit.
//   (a) many small files: BENCH_FILES × 256 KB PNGs (default 1000)
//   (b) one large file: BENCH_BIG_MB MB (default 2048)
// Prints wall time, throughput, the app's peak memory and the Trawl/aria2c ratio.
// Run: npm run bench:download   (installs Debian's aria2 when missing)
import { execFile, execFileSync, spawn } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { promisify } from "node:util";
import sharp from "sharp";
import { startTrawl, type TrawlServer } from "../e2e/support/trawl-server";

const execFileAsync = promisify(execFile);
const FILES = Number(process.env.BENCH_FILES ?? 1000);
const BIG_MB = Number(process.env.BENCH_BIG_MB ?? 2048);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 4);
/** app/_components/job-view.tsx polls a running job this often. */
const JOB_PAGE_POLL_MS = 1000;

async function smallPng() {
  // Noise compresses badly, so the PNG is about 256 KB.
  const side = 292;
  const pixels = crypto.randomBytes(side * side * 3);
  return sharp(pixels, { raw: { width: side, height: side, channels: 3 } }).png({ compressionLevel: 0 }).toBuffer();
}

/** An MP4 header followed by deterministic filler: a "video" of any size, generated while sent. */
function bigVideoHeader() {
  const ftyp = Buffer.alloc(32);
  ftyp.writeUInt32BE(32, 0);
  ftyp.write("ftypisom", 4, "latin1");
  ftyp.writeUInt32BE(512, 12);
  ftyp.write("isomiso2avc1mp41", 16, "latin1");
  return ftyp;
}

async function startMediaServer() {
  const png = await smallPng();
  const bigBytes = BIG_MB * 1024 * 1024;
  const filler = crypto.randomBytes(1024 * 1024);
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://bench");
    const small = /^\/small\/(\d+)\.png$/.exec(url.pathname);
    if (url.pathname === "/small.html") {
      const links = Array.from({ length: FILES }, (_, i) => `<a href="/small/${i}.png">${i}</a>`).join("\n");
      res.writeHead(200, { "content-type": "text/html" });
      return res.end(`<html><body>${links}</body></html>`);
    }
    if (small) {
      // A unique trailer after IEND makes every file distinct without breaking the PNG.
      const body = Buffer.concat([png, Buffer.from(`trawl-bench-${small[1]}`)]);
      res.writeHead(200, { "content-type": "image/png", "content-length": body.length });
      return res.end(body);
    }
    if (url.pathname === "/big.mp4") {
      res.writeHead(200, { "content-type": "video/mp4", "content-length": bigBytes });
      let sent = 0;
      const header = bigVideoHeader();
      res.write(header);
      sent += header.length;
      const pump = () => {
        while (sent < bigBytes) {
          const chunk = filler.subarray(0, Math.min(filler.length, bigBytes - sent));
          sent += chunk.length;
          if (!res.write(chunk)) return res.once("drain", pump);
        }
        res.end();
      };
      return pump();
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return { origin: `http://127.0.0.1:${port}`, hostPort: `127.0.0.1:${port}`, png, close: () => new Promise((r) => server.close(r)) };
}

/** Resident memory of the app's processes. Asynchronous: the media server shares this event loop. */
async function groupRssMb(pgid: number) {
  const { stdout } = await execFileAsync("ps", ["-o", "rss=", "-g", String(pgid)], { encoding: "utf8" });
  return stdout.split("\n").filter(Boolean).reduce((sum, kb) => sum + Number(kb), 0) / 1024;
}

async function runTrawlJob(trawl: TrawlServer, body: Record<string, unknown>) {
  const pgid = trawl.processGroup();
  if (!pgid) throw new Error("Trawl is not running");
  const baseline = await groupRssMb(pgid);
  let peak = baseline;
  const sampler = setInterval(() => void groupRssMb(pgid).then((mb) => (peak = Math.max(peak, mb))), 200);
  const submitted = Date.now();
  const created = await fetch(`${trawl.url}/api/jobs`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  const { jobId } = (await created.json()) as { jobId: string };
  let job: { status: string; downloaded: number; failed: number; bytes: number; error: string | null; finishedAt: string | null };
  // One watcher, polling like the job page does (every second). The end is the moment the
  // job was recorded as finished (same machine, same clock), not the next poll.
  for (;;) {
    job = await (await fetch(`${trawl.url}/api/jobs/${jobId}`)).json();
    if (job.status !== "queued" && job.status !== "running") break;
    await new Promise((resolve) => setTimeout(resolve, JOB_PAGE_POLL_MS));
  }
  if (!job.finishedAt) throw new Error(`job ${jobId} ended (${job.status}) without a finish time`);
  const seconds = (Date.parse(job.finishedAt) - submitted) / 1000;
  const analysedSeconds = await waitForImageAnalysis(trawl, jobId, submitted);
  clearInterval(sampler);
  settle();
  return { seconds, analysedSeconds, job, baselineMb: baseline, peakMb: peak };
}

/** Perceptual hashes follow the job (lib/assets/analysis.ts): seconds from submission until the last is stored. */
async function waitForImageAnalysis(trawl: TrawlServer, jobId: string, submitted: number) {
  const sqlite = new Database(path.join(trawl.dataDir, "trawl.db"), { readonly: true });
  try {
    const pending = sqlite.prepare(`SELECT COUNT(*) AS n FROM "Asset" WHERE "jobId" = ? AND "mediaType" = 'image' AND "analysedAt" IS NULL`);
    const last = sqlite.prepare(`SELECT MAX("analysedAt") AS last FROM "Asset" WHERE "jobId" = ? AND "mediaType" = 'image'`);
    while ((pending.get(jobId) as { n: number }).n > 0) await new Promise((resolve) => setTimeout(resolve, 100));
    const row = last.get(jobId) as { last: number | string | null };
    if (row.last === null) return null;
    // Prisma writes SQLite DateTimes as epoch milliseconds or as ISO text, depending on the path.
    const at = typeof row.last === "string" && !/^\d+$/.test(row.last) ? Date.parse(row.last) : Number(row.last);
    return (at - submitted) / 1000;
  } finally {
    sqlite.close();
  }
}

/** aria2c runs as a child process; the media server lives in this one, so never block here. */
async function runAria2(urls: string[], dir: string) {
  const list = path.join(dir, "urls.txt");
  fs.writeFileSync(list, urls.join("\n"));
  const started = performance.now();
  const child = spawn("aria2c", ["-q", "-i", list, "-d", path.join(dir, "out"), `-j${CONNECTIONS}`, "-x1", "--allow-overwrite=true", "--file-allocation=none"], { stdio: "inherit" });
  const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
  if (code !== 0) throw new Error(`aria2c exited with ${code}`);
  const seconds = (performance.now() - started) / 1000;
  // Its files would otherwise weigh on the page cache (or a tmpfs) while Trawl runs.
  fs.rmSync(dir, { recursive: true, force: true });
  settle();
  return seconds;
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

const mb = (bytes: number) => bytes / 1024 / 1024;

async function main() {
  ensureAria2();
  const media = await startMediaServer();
  console.log(`media server at ${media.origin}; starting Trawl…`);
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "trawl-bench-dl-"));
  const trawl = await startTrawl({
    allowHosts: [media.hostPort],
    env: { TRAWL_MAX_FILE_BYTES: String((BIG_MB + 64) * 1024 * 1024), TRAWL_DOWNLOAD_CONNECTIONS_PER_HOST: String(CONNECTIONS), TRAWL_LOG_LEVEL: "warn" },
  });
  try {
    const rows: string[] = [];
    const report = (label: string, bytes: number, trawlRun: Awaited<ReturnType<typeof runTrawlJob>>, ariaSeconds: number) => {
      rows.push(
        `${label}\n  Trawl  ${trawlRun.seconds.toFixed(2)} s  ${(mb(bytes) / trawlRun.seconds).toFixed(1)} MB/s  status ${trawlRun.job.status}, ${trawlRun.job.downloaded} downloaded, ${trawlRun.job.failed} failed${trawlRun.job.error ? ` (${trawlRun.job.error})` : ""}` +
          (trawlRun.analysedSeconds === null ? "" : `\n         perceptual hashes of its images stored at ${trawlRun.analysedSeconds.toFixed(2)} s (+${(trawlRun.analysedSeconds - trawlRun.seconds).toFixed(2)} s after the job, off its path)`) +
          `\n         app memory ${trawlRun.baselineMb.toFixed(0)} MB → peak ${trawlRun.peakMb.toFixed(0)} MB (+${(trawlRun.peakMb - trawlRun.baselineMb).toFixed(0)} MB)` +
          `\n  aria2c ${ariaSeconds.toFixed(2)} s  ${(mb(bytes) / ariaSeconds).toFixed(1)} MB/s` +
          `\n  ratio  ${(trawlRun.seconds / ariaSeconds).toFixed(2)}× aria2c`,
      );
    };
    if (FILES > 0) {
      const urls = Array.from({ length: FILES }, (_, i) => `${media.origin}/small/${i}.png`);
      console.log(`(a) aria2c fetching ${FILES} files…`);
      const ariaSeconds = await runAria2(urls, fs.mkdtempSync(path.join(scratch, "a-")));
      console.log(`(a) Trawl fetching ${FILES} files…`);
      const run = await runTrawlJob(trawl, { sources: ["web-page"], targetUrls: [`${media.origin}/small.html`], maxItems: FILES, mediaTypes: "images" });
      report(`(a) ${FILES} files × ${(media.png.length / 1024).toFixed(0)} KB, ${CONNECTIONS} connections`, FILES * media.png.length, run, ariaSeconds);
    }
    if (BIG_MB > 0) {
      console.log(`(b) aria2c fetching ${BIG_MB} MB…`);
      const ariaSeconds = await runAria2([`${media.origin}/big.mp4`], fs.mkdtempSync(path.join(scratch, "b-")));
      console.log(`(b) Trawl fetching ${BIG_MB} MB…`);
      const run = await runTrawlJob(trawl, { sources: ["direct-links"], targetUrls: [`${media.origin}/big.mp4`], maxItems: 1, mediaTypes: "videos" });
      report(`(b) one ${BIG_MB} MB file`, BIG_MB * 1024 * 1024, run, ariaSeconds);
    }
    console.log(`\n${rows.join("\n\n")}\n`);
  } finally {
    await trawl.kill();
    await media.close();
    fs.rmSync(scratch, { recursive: true, force: true });
    fs.rmSync(trawl.dataDir, { recursive: true, force: true });
  }
}

await main();
