import { createHash } from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";
import { databaseLocation, type Config } from "@/lib/config";
import type { Db } from "@/lib/db";
import { errorMessage } from "@/lib/log";
import { redisClient } from "@/lib/download/redis-host-gate";
import { storage, type Storage } from "@/lib/storage";
import { z } from "zod";
import { catalogWithHealth } from "@/lib/sources/catalog-view";
import { hashedSigningKey } from "@/engine/signing";
import { APP_ID, ENGINE_FUNCTION_IDS } from "@/inngest/function-ids";

export interface Check {
  name: string;
  ok: boolean;
  detail: string;
  /** How to fix it, when it failed. */
  fix?: string;
}

export interface EngineProbe {
  mode: Config["engine"]["mode"];
  /** Reachable and serving Trawl's functions; the reason otherwise. */
  probe(): Promise<{ ok: boolean; detail: string }>;
}

const PROBE_ID = "trawl-health-probe";

/** Rewrites one fixed row of better-auth's verification table (never read as a token: it has no owner). */
async function writeProbe(client: Db) {
  const value = new Date().toISOString();
  await client.verification.upsert({
    where: { id: PROBE_ID },
    create: { id: PROBE_ID, identifier: PROBE_ID, value, expiresAt: new Date("9999-12-31T00:00:00Z") },
    update: { value },
  });
}

/** Trawl's functions the engine does not know, of those it lists (its own ids: "trawl-run-job", ...). */
export function missingFunctions(known: Iterable<string>): string[] {
  const have = new Set(known);
  return ENGINE_FUNCTION_IDS.filter((id) => !have.has(id));
}

const appFunctionsAnswer = z.array(z.object({ Slug: z.string() }));

/**
 * Whether the Inngest server at INNGEST_BASE_URL (or Inngest Cloud) knows Trawl's functions, asked
 * through Inngest's REST API: GET /v1/apps/trawl/functions lists the functions synced for the app,
 * authenticated, as the SDK's own API calls are, with the signing key's hash as bearer token.
 * The Dev Server, self-hosted Inngest, Cloud and Trawl's engine run apart (npm run engine) answer it.
 */
export async function probeEngineServer(cfg: { engine: Pick<Config["engine"], "baseUrl" | "signingKey"> }) {
  const base = cfg.engine.baseUrl ?? "https://api.inngest.com";
  const url = `${base}/v1/apps/${APP_ID}/functions`;
  const headers: Record<string, string> = cfg.engine.signingKey
    ? { authorization: `Bearer ${hashedSigningKey(cfg.engine.signingKey)}` }
    : {};
  let response: Response;
  let text: string;
  try {
    response = await fetch(url, { headers, signal: AbortSignal.timeout(3_000) });
    text = await response.text();
  } catch (error) {
    return { ok: false, detail: `${base} unreachable: ${errorMessage(error)}` };
  }
  if (!response.ok) {
    return {
      ok: false,
      detail: `${base} answers, but did not list Trawl's functions (GET ${url}: HTTP ${response.status} ${text.slice(0, 200)}); check INNGEST_SIGNING_KEY and that Trawl's serve URL is synced with it`,
    };
  }
  let listed: z.infer<typeof appFunctionsAnswer>;
  try {
    listed = appFunctionsAnswer.parse(JSON.parse(text));
  } catch (error) {
    return { ok: false, detail: `${base} answered GET ${url} with something other than a list of functions: ${errorMessage(error)}` };
  }
  const missing = missingFunctions(listed.map((fn) => fn.Slug));
  return missing.length
    ? { ok: false, detail: `${base} does not know ${missing.join(", ")}: sync Trawl's serve URL with it` }
    : { ok: true, detail: `${base} knows Trawl's ${ENGINE_FUNCTION_IDS.length} functions` };
}

async function checkDatabase(client: Db, cfg: Config): Promise<Check> {
  const where = databaseLocation(cfg);
  try {
    await writeProbe(client); // a real write: proves the database takes writes
    return { name: "database", ok: true, detail: `${cfg.databaseKind} at ${where} (writable)` };
  } catch (error) {
    return {
      name: "database",
      ok: false,
      detail: `${cfg.databaseKind} at ${where}: ${errorMessage(error)}`,
      fix: "Check DATABASE_URL and that the file or server is writable by Trawl's user.",
    };
  }
}

async function checkMigrations(client: Db, cfg: Config): Promise<Check> {
  try {
    const onDisk = (await fs.readdir(cfg.migrationsDir, { withFileTypes: true })).filter((d) => d.isDirectory()).map((d) => d.name);
    const rows = await client.$queryRawUnsafe<Array<{ migration_name: string }>>(
      `SELECT migration_name FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`,
    );
    const applied = new Set(rows.map((r) => r.migration_name));
    const pending = onDisk.filter((name) => !applied.has(name));
    return pending.length
      ? {
          name: "migrations",
          ok: false,
          detail: `${pending.length} pending: ${pending.join(", ")}`,
          fix: "Run npm run db:migrate (npm start applies them too).",
        }
      : { name: "migrations", ok: true, detail: `${onDisk.length} applied, none pending` };
  } catch (error) {
    return { name: "migrations", ok: false, detail: errorMessage(error), fix: "Run npm run db:migrate." };
  }
}

/** The bucket, when files go to object storage: a small object written, read back and removed. */
async function checkObjectStore(store: Storage): Promise<Check> {
  const key = `health/probe-${process.pid}-${Date.now()}`;
  try {
    await store.write(key, Buffer.from("ok"));
    const info = await store.stat(key);
    await store.remove(key);
    if (info?.bytes !== 2) throw new Error(`the probe object read back as ${info ? `${info.bytes} bytes` : "missing"}`);
    return { name: "object storage", ok: true, detail: `${store.describe()} (writable)` };
  } catch (error) {
    return {
      name: "object storage",
      ok: false,
      detail: `${store.describe()}: ${errorMessage(error)}`,
      fix: "Check TRAWL_STORAGE_URL, the endpoint (AWS_ENDPOINT_URL_S3), the region and the credentials, and that the bucket exists.",
    };
  }
}

/** Redis, when the per-host limits are shared through it (REDIS_URL). */
async function checkRedis(url: string): Promise<Check> {
  const where = url.replace(/\/\/[^@]*@/, "//***@");
  try {
    const answer = await redisClient(url).ping();
    return { name: "redis", ok: answer === "PONG", detail: `${where} answered ${answer}` };
  } catch (error) {
    return { name: "redis", ok: false, detail: `${where}: ${errorMessage(error)}`, fix: "Check REDIS_URL and that the Redis server runs." };
  }
}

/** The data directory: temporary and partial downloads always, and the files themselves unless they go to a bucket. */
async function checkStorage(cfg: Config): Promise<Check> {
  const probe = path.join(cfg.tmpDir, `.health-${process.pid}-${Date.now()}`);
  try {
    await fs.mkdir(cfg.tmpDir, { recursive: true });
    await fs.writeFile(probe, "ok");
    await fs.rm(probe);
    const stats = await fs.statfs(cfg.dataDir);
    const freeGb = (stats.bavail * stats.bsize) / 1024 ** 3;
    return { name: "storage", ok: true, detail: `${cfg.dataDir} (writable, ${freeGb.toFixed(1)} GB free)` };
  } catch (error) {
    return {
      name: "storage",
      ok: false,
      detail: `${cfg.dataDir}: ${errorMessage(error)}`,
      fix: "Make the data directory writable, or point TRAWL_DATA_DIR at one that is.",
    };
  }
}

async function checkEngine(engine: EngineProbe): Promise<Check> {
  const names = { offline: "offline local engine", dev: "Inngest Dev Server", cloud: "Inngest Cloud / self-hosted" };
  const result = await engine.probe();
  return {
    name: "engine",
    ok: result.ok,
    detail: `${names[engine.mode]}: ${result.detail}`,
    ...(result.ok ? {} : { fix: "See the server log; restart Trawl, or check INNGEST_DEV / INNGEST_BASE_URL and keys." }),
  };
}

const introspection = z.object({ function_count: z.number().optional(), functionsFound: z.number().optional() }).loose();

/** Each job worker answers its serve route with the number of functions it serves. */
async function checkWorkers(cfg: Config): Promise<Check[]> {
  return Promise.all(
    cfg.workers.map(async (worker): Promise<Check> => {
      const name = `worker ${worker.index}`;
      try {
        const response = await fetch(worker.serveUrl, { signal: AbortSignal.timeout(3_000) });
        const body = introspection.safeParse(await response.json());
        const count = body.success ? (body.data.function_count ?? body.data.functionsFound) : undefined;
        if (response.ok && count !== undefined) return { name, ok: true, detail: `${worker.serveUrl}: serving ${count} function(s)` };
        return {
          name,
          ok: false,
          detail: `${worker.serveUrl} answered HTTP ${response.status} without its function list`,
          fix: "Another program may hold the port: set TRAWL_WORKER_PORT.",
        };
      } catch (error) {
        return {
          name,
          ok: false,
          detail: `${worker.serveUrl} is down: ${errorMessage(error)}`,
          fix: "npm start restarts a worker that dies; its log says why it stopped.",
        };
      }
    }),
  );
}

function checkEngineKeys(cfg: Config): Check {
  if (cfg.engine.mode !== "cloud") return { name: "engine keys", ok: true, detail: `not needed by the ${cfg.engine.mode} engine` };
  const missing = [cfg.engine.eventKey ? null : "INNGEST_EVENT_KEY", cfg.engine.signingKey ? null : "INNGEST_SIGNING_KEY"].filter(Boolean);
  return missing.length
    ? {
        name: "engine keys",
        ok: false,
        detail: `missing ${missing.join(" and ")}`,
        fix: "Set them from your Inngest app's settings, or unset INNGEST_* to use the offline engine.",
      }
    : { name: "engine keys", ok: true, detail: "event and signing keys set" };
}

async function checkSourceKeys(client: Db): Promise<Check> {
  try {
    const missing = (await catalogWithHealth(client)).filter((s) => s.key && !s.key.configured).map((s) => s.name);
    return {
      name: "source keys",
      ok: true,
      detail: missing.length
        ? `${missing.length} key-gated source(s) without a key (skipped by jobs): ${missing.join(", ")}`
        : "every key-gated source has its key",
    };
  } catch (error) {
    return {
      name: "source keys",
      ok: false,
      detail: `the keys set on /sources cannot be read: ${errorMessage(error)}`,
      fix: "Fix the database first (see its check).",
    };
  }
}

function checkStartup(problems: Array<{ stage: string; message: string }>): Check {
  return problems.length
    ? {
        name: "start-up",
        ok: false,
        detail: problems.map((p) => `${p.stage}: ${p.message}`).join("; "),
        fix: "Fix the cause named here, then restart Trawl.",
      }
    : { name: "start-up", ok: true, detail: "every start-up stage succeeded" };
}

export interface HealthContext {
  engine: EngineProbe;
  startupProblems: Array<{ stage: string; message: string }>;
}

/** Names the database without showing where it is, so `npm run doctor` can compare it with the app's. */
export function databaseId(cfg: Pick<Config, "databaseUrl">) {
  return createHash("sha256").update(databaseLocation(cfg)).digest("hex").slice(0, 16);
}

export async function runHealthChecks(client: Db, cfg: Config, context: HealthContext) {
  const [checks, workers] = await Promise.all([
    Promise.all([
      checkStartup(context.startupProblems),
      checkDatabase(client, cfg),
      checkMigrations(client, cfg),
      checkStorage(cfg),
      ...(cfg.storage.kind === "s3" ? [checkObjectStore(storage())] : []),
      ...(cfg.redisUrl ? [checkRedis(cfg.redisUrl)] : []),
      checkEngine(context.engine),
      checkEngineKeys(cfg),
      checkSourceKeys(client),
    ]),
    checkWorkers(cfg),
  ]);
  checks.push(...workers);
  return { ok: checks.every((c) => c.ok), database: databaseLocation(cfg), databaseId: databaseId(cfg), engine: cfg.engine.mode, checks };
}

export type HealthReport = Awaited<ReturnType<typeof runHealthChecks>>;

/**
 * What anyone may see (the start-up script and load balancers poll it without an account),
 * and signed-in users who are not administrators: which checks pass, not paths or settings.
 */
export function healthSummary(report: HealthReport) {
  return {
    ok: report.ok,
    databaseId: report.databaseId,
    checks: report.checks.map((c) => ({ name: c.name, ok: c.ok, detail: c.ok ? "ok" : "failing: an administrator sees why on /health" })),
  };
}

export type HealthSummary = ReturnType<typeof healthSummary>;
