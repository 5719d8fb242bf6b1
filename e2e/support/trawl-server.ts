// Starts a real Trawl (scripts/serve.mjs: migrations + `next start` + the offline engine)
// on free ports with its own data directory, and can kill it hard and start it again.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { vercelStyleServices, type VercelStyleServices } from "./vercel-style";

export async function freePort() {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export const ADMIN = { username: "admin", password: "e2e admin password" };

export interface TrawlServer {
  url: string;
  /** The administrator made at start (unless started with account: false), signed in. */
  admin: { username: string; password: string; cookie: string };
  /** fetch against the app as the administrator (session cookie; writes carry the app's Origin, as its pages' do). */
  api(pathAndQuery: string, init?: RequestInit & { cookie?: string }): Promise<Response>;
  /** Signs in through the app's login endpoint; returns the session cookie ("name=value"). */
  signIn(username: string, password: string): Promise<string>;
  dataDir: string;
  /** The settings that differ from the defaults, for other processes (e.g. npm run doctor). */
  env: Record<string, string>;
  output: () => string;
  /** The process group of the server (serve.mjs and next), for measuring it. */
  processGroup(): number | undefined;
  /** The pid of job worker 1 now (the supervisor prints it each time it starts one). */
  workerPid(): number;
  /** SIGKILL the whole process group: no graceful shutdown, like a crash. */
  kill(): Promise<void>;
  start(): Promise<void>;
  /** kill(), then remove what the profile's services hold (the Vercel-style database and bucket). */
  close(): Promise<void>;
  /** The Vercel-style profile's services (engine, database, bucket), when started with profile "vercel". */
  vercel?: VercelStyleServices;
}

export async function startTrawl(options: {
  allowHosts: string[];
  env?: Record<string, string>;
  /** false: wait only until /api/health answers, healthy or not (misconfiguration tests). */
  healthy?: boolean;
  /** false: no account is made, so the first-run set-up is still to do. */
  account?: boolean;
  /**
   * "vercel": PostgreSQL, an S3-compatible bucket and the engine as separate services, the Next
   * serve route as the only worker, the project directory read-only (e2e/support/vercel-style.ts).
   */
  profile?: "default" | "vercel";
}): Promise<TrawlServer> {
  const port = await freePort();
  const enginePort = await freePort();
  const workerPort = await freePort();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "trawl-e2e-"));
  const url = `http://127.0.0.1:${port}`;
  let child: ChildProcess | undefined;
  let log = "";
  const vercel = options.profile === "vercel" ? await vercelStyleServices({ appUrl: url, enginePort }) : undefined;
  vercel?.migrate();

  async function start() {
    const serverEnv = {
      PORT: String(port),
      TRAWL_ENGINE_PORT: String(enginePort),
      TRAWL_WORKER_PORT: String(workerPort),
      TRAWL_DATA_DIR: dataDir,
      DATABASE_URL: "",
      TRAWL_FETCH_ALLOW_HOSTS: options.allowHosts.join(","),
      TRAWL_RECOVERY_INTERVAL_MS: "2000",
      ...vercel?.env,
      ...options.env,
    };
    if (vercel) {
      child = vercel.spawnApp(serverEnv);
      vercel.startEngine();
    } else {
      child = spawn(process.execPath, ["scripts/serve.mjs"], {
        cwd: process.cwd(),
        detached: true,
        env: { ...process.env, ...serverEnv },
        stdio: ["ignore", "pipe", "pipe"],
      });
    }
    child.stdout?.on("data", (chunk) => (log += chunk));
    child.stderr?.on("data", (chunk) => (log += chunk));
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      if (child.exitCode !== null) throw new Error(`Trawl exited with ${child.exitCode}:\n${log}`);
      const status = await fetch(`${url}/api/health`).then(
        (r) => r.status,
        () => 0,
      );
      if (status === 200 || (options.healthy === false && status === 503)) return;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    throw new Error(`Trawl did not become healthy at ${url}:\n${log}`);
  }

  async function kill() {
    await vercel?.stopEngine();
    if (!child?.pid || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child!.once("exit", resolve));
    process.kill(-child.pid, "SIGKILL");
    await exited;
  }

  async function close() {
    await kill();
    await vercel?.close();
  }

  const env = {
    PORT: String(port),
    TRAWL_WORKER_PORT: String(workerPort),
    TRAWL_DATA_DIR: dataDir,
    DATABASE_URL: "",
    ...vercel?.env,
    ...options.env,
  };

  async function signIn(username: string, password: string) {
    const response = await fetch(`${url}/api/auth/sign-in/username`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: url },
      body: JSON.stringify({ username, password }),
    });
    if (!response.ok) {
      throw new Error(
        `signing in ${username} failed: ${response.status} ${await response.text()}\n--- server output (end) ---\n${log.slice(-4000)}`,
      );
    }
    return response.headers
      .getSetCookie()
      .map((c) => c.split(";")[0])
      .join("; ");
  }

  const admin = { ...ADMIN, cookie: "" };
  async function api(pathAndQuery: string, init: RequestInit & { cookie?: string } = {}) {
    const headers = new Headers(init.headers);
    headers.set("cookie", init.cookie ?? admin.cookie);
    if (init.method && !["GET", "HEAD"].includes(init.method) && !headers.has("origin")) headers.set("origin", url);
    return fetch(`${url}${pathAndQuery}`, { ...init, headers });
  }

  await start();
  if (options.account !== false) {
    // The shell command a headless install uses (npm run user).
    const made = spawnSync(
      "node_modules/.bin/tsx",
      ["scripts/user.ts", "create", "--username", ADMIN.username, "--password", ADMIN.password],
      {
        env: { ...process.env, ...env, TRAWL_LOG_LEVEL: "error" },
        encoding: "utf8",
      },
    );
    if (made.status !== 0) throw new Error(`npm run user failed: ${made.stdout}${made.stderr}`);
    admin.cookie = await signIn(ADMIN.username, ADMIN.password);
  }
  function workerPid() {
    const started = [...log.matchAll(/job worker 1 started \(pid (\d+)\)/g)].at(-1);
    if (!started) throw new Error(`no job worker has started:\n${log}`);
    return Number(started[1]);
  }

  return {
    url,
    dataDir: vercel?.dataDir ?? dataDir,
    admin,
    api,
    signIn,
    processGroup: () => child?.pid,
    env,
    output: () => `${log}${vercel ? `\n--- engine ---\n${vercel.engineOutput()}` : ""}`,
    kill,
    close,
    start,
    workerPid,
    vercel,
  };
}
