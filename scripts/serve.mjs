#!/usr/bin/env node
// Starts a built Trawl and supervises its processes: applies pending migrations, then runs the
// web server (scripts/web-server.mjs: Next's handler, the offline engine) and TRAWL_WORKERS job
// workers (scripts/worker.ts: the job steps, away from the web server's event loop), and prints
// the URL once the health check answers. A worker that dies is started again (after
// TRAWL_WORKER_RESTART_MS, 1 s by default, doubling to 30 s while it keeps dying at once); the
// health banner names it while it is down.
// Ctrl-C or SIGTERM stops them all; if the web server stops, everything stops with its status.
import { spawn, spawnSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const host = process.env.TRAWL_HOST ?? "127.0.0.1";
const port = process.env.PORT ?? "3000";
const workers = Number(process.env.TRAWL_WORKERS ?? "1");
const firstRestartMs = Number(process.env.TRAWL_WORKER_RESTART_MS ?? "1000");
if (!Number.isInteger(workers) || workers < 0 || workers > 16) {
  console.error(`Trawl: TRAWL_WORKERS must be a whole number from 0 to 16, not "${process.env.TRAWL_WORKERS}".`);
  process.exit(2);
}
if (!Number.isInteger(firstRestartMs) || firstRestartMs < 0) {
  console.error(`Trawl: TRAWL_WORKER_RESTART_MS must be a whole number of milliseconds, not "${process.env.TRAWL_WORKER_RESTART_MS}".`);
  process.exit(2);
}
const env = { ...process.env, NEXT_TELEMETRY_DISABLED: "1", CHECKPOINT_DISABLE: "1", PORT: port, TRAWL_ROOT: root, NODE_ENV: "production" };

const migrate = spawnSync(process.execPath, [path.join(root, "scripts/prisma.mjs"), "migrate", "deploy"], {
  cwd: root,
  env,
  stdio: "inherit",
});
if (migrate.status !== 0) {
  console.error("Trawl: applying database migrations failed; not starting.");
  process.exit(migrate.status ?? 1);
}

const children = new Set();
let stopping = false;

function start(name, args, extraEnv, onExit) {
  const child = spawn(process.execPath, args, { cwd: root, env: { ...env, ...extraEnv }, stdio: "inherit" });
  children.add(child);
  child.on("exit", (code, signal) => {
    children.delete(child);
    onExit(code, signal);
  });
  return child;
}

function stopAll(signal) {
  stopping = true;
  for (const child of children) child.kill(signal);
}

function superviseWorker(index, delayMs = firstRestartMs) {
  const startedAt = Date.now();
  const name = `job worker ${index}`;
  const child = start(
    name,
    ["--import", "tsx", path.join(root, "scripts/worker.ts")],
    { TRAWL_WORKER_INDEX: String(index) },
    (code, signal) => {
      if (stopping) return;
      // A worker that ran for a while starts again at once-ish; one that keeps dying backs off.
      const next = Date.now() - startedAt > 30_000 ? firstRestartMs : Math.min(Math.max(delayMs, 500) * 2, 30_000);
      console.error(`Trawl: ${name} (pid ${child.pid}) stopped (${signal ?? `exit ${code}`}); starting it again in ${delayMs / 1000} s`);
      setTimeout(() => stopping || superviseWorker(index, next), delayMs).unref();
    },
  );
  console.log(`Trawl: ${name} started (pid ${child.pid})`);
}

for (let index = 1; index <= workers; index++) superviseWorker(index);
start("web server", ["--import", "tsx", path.join(root, "scripts/web-server.mjs")], {}, (code, signal) => {
  if (!stopping) stopAll("SIGTERM");
  const exit = () => (children.size === 0 ? process.exit(code ?? (signal ? 1 : 0)) : setTimeout(exit, 50));
  exit();
});
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => stopAll(signal));

const url = `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
const deadline = Date.now() + 60_000;
async function announce() {
  while (Date.now() < deadline && !stopping) {
    const health = await fetch(`${url}/api/health`).then(
      async (response) => ({ status: response.status, body: await response.json() }),
      (error) => ({ status: 0, body: String(error.cause?.code ?? error.message) }),
    );
    const firstRun = health.body?.setupNeeded
      ? `First run: open it to create the administrator, or: npm run user -- create --username NAME --password PASSWORD\n`
      : "";
    if (health.status === 200) {
      console.log(`\nTrawl is running at ${url}\n${firstRun}`);
      return;
    }
    if (health.status === 503) {
      // The engine and the workers may still be starting; anything else failing will not mend by waiting.
      const failing = health.body.checks.filter((c) => !c.ok && c.name !== "engine" && !c.name.startsWith("worker "));
      if (failing.length) {
        console.error(
          `\nTrawl is up at ${url} but unhealthy: ${failing.map((c) => c.name).join(", ")}. npm run doctor says why.\n${firstRun}`,
        );
        return;
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  if (!stopping) console.error(`Trawl did not answer ${url}/api/health within 60 s; see the log above.`);
}
announce().catch((error) => console.error(`Trawl: could not read ${url}/api/health: ${error?.stack ?? error}`));
