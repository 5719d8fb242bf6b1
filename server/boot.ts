// The web server's start-up, called once from instrumentation.ts: checks the database, starts
// the offline engine when no Inngest server is configured (it sends the steps to the job
// workers, server/worker.ts), and runs the recovery sweep at start and periodically so no
// job stays "running" with nothing behind it.
import fs from "node:fs/promises";
import { config, databaseLocation, installationId, stepServeUrls } from "@/lib/config";
import { db, optimizeDatabase, prepareDatabase } from "@/lib/db";
import { onceAcrossProcesses } from "@/lib/db/lease";
import { engineRunIdPrefix, markEngineAlive, offlineEngineJudge, recoverJobs } from "@/lib/jobs/recovery";
import { errorMessage, log } from "@/lib/log";
import { sendEvent as send } from "@/inngest/client";
import { startLocalEngine, type LocalEngine } from "@/engine";

const holder = globalThis as unknown as {
  trawlEngine?: LocalEngine;
  trawlBooted?: boolean;
  trawlStartupProblems?: Array<{ stage: string; message: string }>;
};

export function localEngine() {
  return holder.trawlEngine;
}

/** The jobs the engine's active runs work for (a job's own run and its sources' runs). */
const jobsRunningIn = (engine: LocalEngine) =>
  new Set(engine.activeRuns().flatMap((run) => (run.event.data as { jobId?: string } | null)?.jobId ?? []));

async function sweep() {
  const cfg = config();
  await optimizeDatabase();
  const engine = holder.trawlEngine;
  const installation = installationId(cfg);
  if (engine) await markEngineAlive(db(), installation, cfg.recovery.intervalMs * 3);
  // One sweep per interval across the processes and instances that share the database.
  await onceAcrossProcesses(db(), "recovery-sweep", cfg.recovery.intervalMs * 1.5, async () =>
    recoverJobs(db(), send, {
      hasLiveRun: engine ? await offlineEngineJudge(db(), installation, jobsRunningIn(engine)) : undefined,
      staleMs: cfg.recovery.staleMs,
      maxDispatches: cfg.recovery.maxDispatches,
    }),
  );
}

function every(intervalMs: number, name: string, task: () => Promise<unknown>) {
  setInterval(() => {
    task().catch((error) => log.error(`${name} failed`, { error: errorMessage(error) }));
  }, intervalMs).unref();
}

async function startEngineAndRecovery() {
  const cfg = config();
  if (holder.trawlEngine) await holder.trawlEngine.sync();
  await sweep();
  every(cfg.recovery.intervalMs, "recovery sweep", sweep);
}

/** Problems met while starting; the server keeps running so /health can explain them. */
export function startupProblems() {
  return holder.trawlStartupProblems ?? [];
}

async function stage(name: string, work: () => Promise<void>) {
  try {
    await work();
  } catch (error) {
    const problem = { stage: name, message: errorMessage(error) };
    holder.trawlStartupProblems = [...startupProblems(), problem];
    log.error(`start-up failed: ${name}`, problem);
  }
}

/** The folders every process that stores files needs: the temporary one always, the files' own unless they go to a bucket. */
export async function prepareStorage() {
  const cfg = config();
  const folders = cfg.storage.kind === "local" ? [cfg.filesDir, cfg.thumbsDir, cfg.tmpDir] : [cfg.tmpDir];
  await Promise.all(folders.map((dir) => fs.mkdir(dir, { recursive: true })));
}

export async function boot() {
  if (holder.trawlBooted) return;
  holder.trawlBooted = true;
  const cfg = config();
  log.info("Trawl starting", {
    database: databaseLocation(cfg),
    dataDir: cfg.dataDir,
    engine: cfg.engine.mode === "offline" ? "offline local engine" : `${cfg.engine.mode} (${cfg.engine.baseUrl ?? "Inngest Cloud"})`,
    url: cfg.appUrl,
  });
  await stage("storage", prepareStorage);
  await stage("database", () => prepareDatabase());
  if (cfg.engine.mode === "offline") {
    await stage("offline engine", async () => {
      const engine = await startLocalEngine({
        port: cfg.engine.port,
        appServeUrls: stepServeUrls(cfg),
        runIdPrefix: engineRunIdPrefix(installationId(cfg)),
        log: (level, message) => log[level](`[offline engine] ${message}`),
      });
      holder.trawlEngine = engine;
      log.info(`Offline local engine listening on ${engine.url} (no Inngest server configured)`);
    });
  }
  // The app is not listening yet: register and recover in the background once it is.
  void stage("engine sync and recovery", startEngineAndRecovery);
}
