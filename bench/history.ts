// History filters at 100,000 jobs: builds a migrated SQLite database, fills it, and prints
// the median time of each query shape. Run: npm run bench:history
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";

const JOBS = Number(process.env.BENCH_JOBS ?? 100_000);
const RUNS = 15;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "trawl-bench-history-"));
const file = path.join(dir, "trawl.db");
process.env.DATABASE_URL = `file:${file}`;
process.env.TRAWL_DATA_DIR = dir;
process.env.TRAWL_LOG_LEVEL = "error";
execFileSync(process.execPath, ["scripts/prisma.mjs", "migrate", "deploy"], { stdio: "ignore", env: process.env });

const statuses = ["completed", "completed_with_errors", "failed", "cancelled", "completed", "completed"];
const sourceIds = ["wikimedia-commons", "openverse", "web-page", "nasa-images", "met-museum"];
const words = ["aurora", "fjord", "glacier", "nebula", "tiger", "harbor", "cathedral", "volcano"];
const fill = new Database(file);
fill.pragma("journal_mode = WAL");
const userId = "bench-user";
fill.prepare(`INSERT INTO "User" (id, name, email) VALUES (?, 'bench', 'bench@example.test')`).run(userId);
const insertJob = fill.prepare(
  `INSERT INTO "Job" (id, userId, query, mediaTypes, maxItems, status, createdAt, updatedAt, heartbeatAt) VALUES (?, ?, ?, 'images', 50, ?, ?, ?, ?)`,
);
const insertSource = fill.prepare(`INSERT INTO "JobSource" (id, jobId, sourceId, status, updatedAt) VALUES (?, ?, ?, 'completed', ?)`);
const start = Date.parse("2025-01-01T00:00:00Z");
const t0 = performance.now();
fill.transaction(() => {
  for (let i = 0; i < JOBS; i++) {
    const id = `job${String(i).padStart(7, "0")}`;
    const at = new Date(start + i * 5 * 60_000).toISOString().replace("Z", "+00:00");
    insertJob.run(
      id,
      userId,
      `${words[i % words.length]} ${words[(i * 7) % words.length]} ${i}`,
      statuses[i % statuses.length],
      at,
      at,
      at,
    );
    insertSource.run(`src${i}`, id, sourceIds[i % sourceIds.length], at);
  }
})();
fill.close();
console.log(`filled ${JOBS} jobs in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

const { db } = await import("../lib/db");
const { historyFilter, listHistory } = await import("../lib/jobs/history");

async function measure(label: string, input: Record<string, unknown>) {
  const filter = historyFilter.parse(input);
  await listHistory(db(), userId, filter); // warm
  const times: number[] = [];
  let rows = 0;
  for (let i = 0; i < RUNS; i++) {
    const before = performance.now();
    rows = (await listHistory(db(), userId, filter)).jobs.length;
    times.push(performance.now() - before);
  }
  times.sort((a, b) => a - b);
  console.log(
    `${label.padEnd(44)} median ${times[RUNS >> 1].toFixed(1).padStart(6)} ms   p90 ${times[Math.floor(RUNS * 0.9)].toFixed(1).padStart(6)} ms   (${rows} rows)`,
  );
}

const deep = await listHistory(db(), userId, historyFilter.parse({ sort: "oldest", limit: 50 }));
await measure("newest first, page 1", {});
await measure("keyset page deep in the history", { sort: "oldest", after: deep.next });
await measure("status = failed", { status: "failed" });
await measure("source = openverse", { source: "openverse" });
await measure("text search 'glacier'", { q: "glacier" });
await measure("date range (one month)", { from: "2025-06-01", to: "2025-06-30" });
await measure("status + source + date range", { status: "completed", source: "web-page", from: "2025-03-01", to: "2025-09-30" });
await db().$disconnect();
fs.rmSync(dir, { recursive: true, force: true });
