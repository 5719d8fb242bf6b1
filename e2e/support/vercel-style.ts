// The services of a Vercel-style deployment, each its own process or server: PostgreSQL (a
// throw-away database on the TEST_DATABASE_URL server), an S3-compatible bucket (s3rver), and
// the engine (Trawl's offline engine as its own process, with Inngest's signing and event keys,
// as Inngest Cloud would be). The app itself runs with TRAWL_WORKERS=0, so its Next.js serve
// route is the only worker, inside a mount namespace where everything is read-only but a fresh
// folder of the OS temp directory, which holds its TMPDIR and its data directory.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { startS3Server } from "../../tests/support/s3-server";
import { createDatabase, dropDatabases, newDatabaseName } from "../../tests/support/test-databases";

export async function vercelStyleServices(options: { appUrl: string; enginePort: number }) {
  const server = process.env.TEST_DATABASE_URL;
  if (!server) throw new Error("the Vercel-style profile needs a PostgreSQL server: set TEST_DATABASE_URL (CI does)");
  const prefix = newDatabaseName("trawl_e2e");
  const databaseUrl = await createDatabase(server, `${prefix}_app`);
  const s3 = await startS3Server("vercel");
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "trawl-vercel-"));
  const engineUrl = `http://127.0.0.1:${options.enginePort}`;
  const keys = {
    INNGEST_SIGNING_KEY: `signkey-test-${randomBytes(32).toString("hex")}`,
    INNGEST_EVENT_KEY: randomBytes(12).toString("hex"),
  };
  const env: Record<string, string> = {
    ...s3.env,
    ...keys,
    DATABASE_URL: databaseUrl,
    INNGEST_BASE_URL: engineUrl,
    TRAWL_WORKERS: "0",
    TRAWL_APP_URL: options.appUrl,
    TRAWL_DATA_DIR: path.join(scratch, "data"),
    TMPDIR: scratch,
  };
  let engine: ChildProcess | undefined;
  let engineLog = "";

  /** The deployment's release step: migrations, run once before the app starts (as a build command would). */
  function migrate() {
    const run = spawnSync(process.execPath, ["scripts/prisma.mjs", "migrate", "deploy"], {
      env: { ...process.env, ...env },
      encoding: "utf8",
    });
    if (run.status !== 0) throw new Error(`migrate deploy failed:\n${run.stdout}${run.stderr}`);
  }

  /**
   * The app: the web server alone, in a mount namespace where every file system is read-only but
   * its own folder of the OS temp directory (TMPDIR and its data directory), as on a serverless
   * platform; /proc, /sys and /dev stay as they are. A write anywhere else fails with EROFS.
   */
  function spawnApp(appEnv: Record<string, string>) {
    const script = `set -e
      mount --bind "${scratch}" "${scratch}"
      awk '{ print $5 }' /proc/self/mountinfo | sort -u | while read -r target; do
        case "$target" in /proc|/proc/*|/sys|/sys/*|/dev|/dev/*|"${scratch}") continue ;; esac
        mount -o remount,bind,ro "$target"
      done
      for probe in "${process.cwd()}/.write-probe" "${os.homedir()}/.write-probe"; do
        if touch "$probe" 2>/dev/null; then rm -f "$probe"; echo "$probe is writable: the read-only mounts failed" >&2; exit 1; fi
      done
      exec "${process.execPath}" --import tsx scripts/web-server.mjs`;
    return spawn("unshare", ["--mount", "sh", "-c", script], {
      cwd: process.cwd(),
      detached: true,
      env: { ...process.env, ...appEnv },
      stdio: ["ignore", "pipe", "pipe"],
    });
  }

  function startEngine() {
    if (engine && engine.exitCode === null && engine.signalCode === null) return;
    engine = spawn(process.execPath, ["--import", "tsx", "scripts/engine.ts"], {
      env: {
        ...process.env,
        ...keys,
        TRAWL_ENGINE_PORT: String(options.enginePort),
        TRAWL_ENGINE_APP_URLS: `${options.appUrl}/api/inngest`,
        TRAWL_LOG_LEVEL: "info",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    engine.stdout?.on("data", (chunk) => (engineLog += chunk));
    engine.stderr?.on("data", (chunk) => (engineLog += chunk));
  }

  /** What the engine measured: the longest request to the app, i.e. the longest step. */
  async function longestStep() {
    const health = (await (await fetch(`${engineUrl}/health`)).json()) as { longestRequestMs: number; longestRequest: string | null };
    return { ms: health.longestRequestMs, what: health.longestRequest };
  }

  /** Files written anywhere in the project directory since `since` (there must be none: it is read-only for the app). */
  function writtenInProject(since: number) {
    const found: string[] = [];
    const walk = (dir: string) => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        if (entry.name === "node_modules" || entry.name === ".git" || entry.name === "test-results") continue;
        const file = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(file);
        else if (fs.statSync(file).mtimeMs > since) found.push(path.relative(process.cwd(), file));
      }
    };
    walk(process.cwd());
    return found;
  }

  async function stopEngine() {
    const child = engine;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGKILL");
    await exited;
  }

  return {
    env,
    dataDir: env.TRAWL_DATA_DIR,
    migrate,
    spawnApp,
    startEngine,
    stopEngine,
    longestStep,
    writtenInProject,
    engineOutput: () => engineLog,
    async close() {
      await stopEngine();
      await s3.close();
      await dropDatabases(server, prefix);
      fs.rmSync(scratch, { recursive: true, force: true });
    },
  };
}

export type VercelStyleServices = Awaited<ReturnType<typeof vercelStyleServices>>;
