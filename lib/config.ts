import os from "node:os";
import path from "node:path";
import { z } from "zod";

// Every environment variable Trawl reads is parsed here, once. Paths become absolute so
// every process (app, engine, migrations, tests) agrees on the same database and files.

const csv = z
  .string()
  .optional()
  .transform((v) =>
    (v ?? "")
      .split(",")
      .map((s) => s.trim().toLowerCase())
      .filter(Boolean),
  );

const envSchema = z.object({
  TRAWL_ROOT: z.string().optional(),
  TRAWL_DATA_DIR: z.string().optional(),
  DATABASE_URL: z
    .string()
    .regex(/^(file:|postgres(ql)?:\/\/)/, "must be a file: URL (SQLite) or a postgresql:// URL (PostgreSQL)")
    .optional(),
  TRAWL_HOST: z.string().default("127.0.0.1"),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  TRAWL_APP_URL: z.url().optional(),
  TRAWL_USER_AGENT: z.string().min(1).optional(),
  TRAWL_FETCH_ALLOW_HOSTS: csv,
  TRAWL_MAX_FILE_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(512 * 1024 * 1024),
  TRAWL_FETCH_TIMEOUT_MS: z.coerce.number().int().positive().default(120_000),
  TRAWL_FETCH_IDLE_TIMEOUT_MS: z.coerce.number().int().positive().default(30_000),
  TRAWL_DOWNLOAD_CONNECTIONS_PER_HOST: z.coerce.number().int().min(1).max(32).default(4),
  TRAWL_DOWNLOAD_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(8),
  // Every step costs an engine round trip and the drain of its last transfers: batches of 64
  // made 1,000 small files take ~20% longer than 256 (bench:download, tmpfs, 3 rounds each).
  TRAWL_DOWNLOAD_BATCH: z.coerce.number().int().min(1).max(500).default(256),
  TRAWL_ENGINE_PORT: z.coerce.number().int().min(1).max(65535).default(8288),
  // Job workers: separate processes that run the job steps (0: the web process runs them through its serve route).
  TRAWL_WORKERS: z.coerce.number().int().min(0).max(16).default(1),
  TRAWL_WORKER_PORT: z.coerce.number().int().min(1).max(65535).default(3100),
  TRAWL_RECOVERY_INTERVAL_MS: z.coerce.number().int().positive().default(30_000),
  TRAWL_RECOVERY_STALE_MS: z.coerce
    .number()
    .int()
    .positive()
    .default(10 * 60_000),
  TRAWL_RECOVERY_MAX_DISPATCHES: z.coerce.number().int().min(1).default(5),
  TRAWL_LOG_LEVEL: z.enum(["info", "warn", "error"]).default("info"),
  TRAWL_CLEANUP_AFTER_DAYS: z.coerce.number().int().min(1).default(30),
  // Accounts and request safety (lib/auth).
  TRAWL_AUTH_SECRET: z.string().min(32, "TRAWL_AUTH_SECRET must be at least 32 characters").optional(),
  TRAWL_ALLOWED_HOSTS: csv,
  TRAWL_AUTH_PROXY_HEADER: z.string().trim().toLowerCase().min(1).optional(),
  TRAWL_TRUSTED_PROXIES: csv,
  TRAWL_LOGIN_MAX_ATTEMPTS: z.coerce.number().int().min(1).default(10),
  TRAWL_LOGIN_WINDOW_SECONDS: z.coerce.number().int().min(1).default(300),
  // Object storage instead of the data directory: s3://bucket[/prefix]. The endpoint, region and
  // credentials are the AWS SDK's usual variables (AWS_ENDPOINT_URL_S3 or AWS_ENDPOINT_URL,
  // AWS_REGION, AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY or any other source the SDK reads).
  TRAWL_STORAGE_URL: z
    .string()
    .regex(/^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](\/[A-Za-z0-9._/-]*)?$/, "must be s3://bucket or s3://bucket/prefix")
    .optional(),
  AWS_ENDPOINT_URL_S3: z.url().optional(),
  AWS_ENDPOINT_URL: z.url().optional(),
  AWS_REGION: z.string().min(1).optional(),
  AWS_ACCESS_KEY_ID: z.string().min(1).optional(),
  AWS_SECRET_ACCESS_KEY: z.string().min(1).optional(),
  AWS_SESSION_TOKEN: z.string().min(1).optional(),
  // Path-style addressing (endpoint/bucket/key), which self-hosted servers need; on by default with an endpoint.
  TRAWL_S3_PATH_STYLE: z.enum(["0", "1", "true", "false"]).optional(),
  // Redis for the per-host limits shared by several processes and instances (lib/download/host-gates.ts).
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, "must be a redis:// or rediss:// URL")
    .optional(),
  INNGEST_DEV: z.string().optional(),
  INNGEST_BASE_URL: z.url().optional(),
  INNGEST_EVENT_KEY: z.string().optional(),
  INNGEST_SIGNING_KEY: z.string().optional(),
});

export type EngineMode = "offline" | "dev" | "cloud";

function resolveEngine(env: z.infer<typeof envSchema>, appUrl: string) {
  const dev = env.INNGEST_DEV?.trim();
  if (dev && dev !== "0" && dev !== "false") {
    // INNGEST_DEV=1 means the Dev Server at its default address, a URL names it.
    const url = /^https?:\/\//.test(dev) ? dev : "http://127.0.0.1:8288";
    return { mode: "dev" as EngineMode, baseUrl: url.replace(/\/$/, "") };
  }
  if (env.INNGEST_SIGNING_KEY || env.INNGEST_EVENT_KEY || env.INNGEST_BASE_URL) {
    return { mode: "cloud" as EngineMode, baseUrl: env.INNGEST_BASE_URL?.replace(/\/$/, "") };
  }
  void appUrl;
  return { mode: "offline" as EngineMode, baseUrl: `http://127.0.0.1:${env.TRAWL_ENGINE_PORT}` };
}

// Per-source settings: TRAWL_KEY_<SOURCE> holds an API key, TRAWL_URL_<SOURCE> replaces a
// source's API base URL (tests point sources at local fixture servers this way).
const SOURCE_KEY_PREFIX = "TRAWL_KEY_";
const SOURCE_URL_PREFIX = "TRAWL_URL_";
const sourceSettingName = z.string().regex(/^[A-Z0-9_]+$/);

function sourceSettings(source: Record<string, string | undefined>) {
  const pick = (prefix: string) =>
    Object.fromEntries(
      Object.entries(source)
        .filter(([name, value]) => name.startsWith(prefix) && value)
        .map(([name, value]) => [sourceSettingName.parse(name.slice(prefix.length)), value as string]),
    );
  return {
    keys: z.record(z.string(), z.string().trim().min(1)).parse(pick(SOURCE_KEY_PREFIX)),
    urls: z.record(z.string(), z.url({ protocol: /^https?$/ })).parse(pick(SOURCE_URL_PREFIX)),
  };
}

/** "wikimedia-commons" -> "WIKIMEDIA_COMMONS", the suffix of its TRAWL_KEY_/TRAWL_URL_ variables. */
export function sourceSettingSuffix(sourceId: string) {
  return sourceId.toUpperCase().replace(/[^A-Z0-9]+/g, "_");
}

const LOOPBACK_NAMES = ["localhost", "127.0.0.1", "[::1]"];
const isLoopbackBind = (host: string) => ["127.0.0.1", "localhost", "::1", "[::1]"].includes(host.toLowerCase());

/**
 * The host names a request may carry in its Host header (without port): the app URL's,
 * TRAWL_ALLOWED_HOSTS, and the loopback names when Trawl listens on loopback only.
 * Anything else is refused, so a DNS-rebinding page cannot reach the app.
 */
function allowedHosts(appUrl: string, bindHost: string, extra: string[]) {
  const names = new Set([new URL(appUrl).hostname.toLowerCase(), ...extra.map((h) => h.replace(/:\d+$/, ""))]);
  if (isLoopbackBind(bindHost)) for (const name of LOOPBACK_NAMES) names.add(name);
  return [...names];
}

export type StorageConfig =
  | { kind: "local" }
  | {
      kind: "s3";
      bucket: string;
      prefix: string;
      endpoint?: string;
      region: string;
      pathStyle: boolean;
      /** Static keys when given; otherwise the SDK's own chain (instance roles, profiles, web identity). */
      credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
    };

function storageConfig(env: z.infer<typeof envSchema>): StorageConfig {
  if (!env.TRAWL_STORAGE_URL) return { kind: "local" };
  const url = new URL(env.TRAWL_STORAGE_URL);
  const endpoint = env.AWS_ENDPOINT_URL_S3 ?? env.AWS_ENDPOINT_URL;
  const pathStyle = env.TRAWL_S3_PATH_STYLE === undefined ? endpoint !== undefined : ["1", "true"].includes(env.TRAWL_S3_PATH_STYLE);
  return {
    kind: "s3",
    bucket: url.hostname,
    prefix: url.pathname.replace(/^\/+|\/+$/g, ""),
    endpoint,
    region: env.AWS_REGION ?? "us-east-1",
    pathStyle,
    credentials:
      env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY
        ? { accessKeyId: env.AWS_ACCESS_KEY_ID, secretAccessKey: env.AWS_SECRET_ACCESS_KEY, sessionToken: env.AWS_SESSION_TOKEN }
        : undefined,
  };
}

/**
 * This installation on this machine: its processes (web server, workers) and a restart of them
 * share it; instances on other machines or ports have their own. Names lease holders and the
 * offline engine's runs.
 */
export function installationId(cfg: Pick<Config, "port">) {
  return `${os.hostname()}:${cfg.port}`;
}

/** Where the engine sends steps: the job workers, or the web process's own serve route when there are none (TRAWL_WORKERS=0). */
export function stepServeUrls(cfg: Pick<Config, "workers" | "appUrl">) {
  return cfg.workers.length > 0 ? cfg.workers.map((worker) => worker.serveUrl) : [`${cfg.appUrl}/api/inngest`];
}

/** Where each job worker listens (loopback only: the engine is its one caller): worker n on TRAWL_WORKER_PORT + n. */
function workerAddresses(count: number, firstPort: number) {
  return Array.from({ length: count }, (_, n) => {
    const port = firstPort + n;
    return { index: n + 1, port, serveUrl: `http://127.0.0.1:${port}/api/inngest` };
  });
}

export type DatabaseKind = "sqlite" | "postgresql";

/** A file: URL is the embedded SQLite database; postgres:// or postgresql:// (checked by envSchema) a PostgreSQL server. */
export function databaseKindOf(url: string): DatabaseKind {
  return url.startsWith("file:") ? "sqlite" : "postgresql";
}

/** Each provider has its own schema and migrations (scripts/db-schemas.mjs writes PostgreSQL's). */
function prismaFiles(root: string, kind: DatabaseKind) {
  const folder = kind === "sqlite" ? path.join(root, "prisma") : path.join(root, "prisma", "postgresql");
  return { schemaFile: path.join(folder, "schema.prisma"), migrationsDir: path.join(folder, "migrations") };
}

function sqliteUrl(file: string) {
  return `file:${file}`;
}

export function loadConfig(source: Record<string, string | undefined> = process.env) {
  // An empty variable means "not set", as in most shells' `VAR= command` idiom.
  const present = Object.fromEntries(Object.entries(source).filter(([, value]) => value !== ""));
  const env = envSchema.parse(present);
  const root = path.resolve(env.TRAWL_ROOT ?? process.cwd());
  const dataDir = path.resolve(root, env.TRAWL_DATA_DIR ?? "data");
  const databaseUrl = absoluteDatabaseUrl(env.DATABASE_URL ?? sqliteUrl(path.join(dataDir, "trawl.db")), root);
  const databaseKind = databaseKindOf(databaseUrl);
  const appUrl = (env.TRAWL_APP_URL ?? `http://127.0.0.1:${env.PORT}`).replace(/\/$/, "");
  return {
    root,
    dataDir,
    filesDir: path.join(dataDir, "files"),
    thumbsDir: path.join(dataDir, "thumbs"),
    tmpDir: path.join(dataDir, "tmp"),
    ...prismaFiles(root, databaseKind),
    databaseUrl,
    databaseKind,
    storage: storageConfig(env),
    redisUrl: env.REDIS_URL,
    host: env.TRAWL_HOST,
    port: env.PORT,
    appUrl,
    userAgent: env.TRAWL_USER_AGENT ?? "Trawl/0.1 (self-hosted media downloader; +https://github.com/trawl-app/trawl)",
    fetch: {
      allowHosts: env.TRAWL_FETCH_ALLOW_HOSTS,
      maxFileBytes: env.TRAWL_MAX_FILE_BYTES,
      timeoutMs: env.TRAWL_FETCH_TIMEOUT_MS,
      idleTimeoutMs: env.TRAWL_FETCH_IDLE_TIMEOUT_MS,
    },
    download: {
      connectionsPerHost: env.TRAWL_DOWNLOAD_CONNECTIONS_PER_HOST,
      concurrency: env.TRAWL_DOWNLOAD_CONCURRENCY,
      batchSize: env.TRAWL_DOWNLOAD_BATCH,
    },
    workers: workerAddresses(env.TRAWL_WORKERS, env.TRAWL_WORKER_PORT),
    engine: {
      ...resolveEngine(env, appUrl),
      port: env.TRAWL_ENGINE_PORT,
      eventKey: env.INNGEST_EVENT_KEY,
      signingKey: env.INNGEST_SIGNING_KEY,
    },
    recovery: {
      intervalMs: env.TRAWL_RECOVERY_INTERVAL_MS,
      staleMs: env.TRAWL_RECOVERY_STALE_MS,
      maxDispatches: env.TRAWL_RECOVERY_MAX_DISPATCHES,
    },
    cleanup: { afterDays: env.TRAWL_CLEANUP_AFTER_DAYS },
    auth: {
      secret: env.TRAWL_AUTH_SECRET,
      allowedHosts: allowedHosts(appUrl, env.TRAWL_HOST, env.TRAWL_ALLOWED_HOSTS),
      proxyHeader: env.TRAWL_AUTH_PROXY_HEADER,
      trustedProxies: env.TRAWL_TRUSTED_PROXIES,
      login: { maxAttempts: env.TRAWL_LOGIN_MAX_ATTEMPTS, windowSeconds: env.TRAWL_LOGIN_WINDOW_SECONDS },
    },
    logLevel: env.TRAWL_LOG_LEVEL,
    sources: sourceSettings(present),
  };
}

/** A relative SQLite path is resolved against the project root, never the process cwd. */
export function absoluteDatabaseUrl(url: string, root: string) {
  if (!url.startsWith("file:")) return url;
  const file = url.slice("file:".length);
  return path.isAbsolute(file) ? url : `file:${path.resolve(root, file)}`;
}

export type Config = ReturnType<typeof loadConfig>;

/** Where the database is, fit for logs and pages: the file path, or the URL without credentials. */
export function databaseLocation(cfg: Pick<Config, "databaseUrl">) {
  return cfg.databaseUrl.startsWith("file:") ? cfg.databaseUrl.slice("file:".length) : cfg.databaseUrl.replace(/\/\/[^@]*@/, "//***@");
}

let cached: Config | undefined;
export function config(): Config {
  cached ??= loadConfig();
  return cached;
}
