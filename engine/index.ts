/**
 * Trawl's offline engine: a small in-process stand-in for the Inngest server, used when no
 * Inngest server is available. It speaks the Inngest SDK's HTTP protocol (inngest 4.24.0)
 * against the app's real serve route and keeps run state in memory only (after a restart the
 * app recovers lost runs from its database by re-sending their events).
 *
 * Supported: event triggers (exact names, optional `if` expression), cron triggers (croner;
 * Inngest's "TZ=<zone> " prefix; the run's event is inngest/scheduled.timer), POST /e/:key and
 * inngest.send(), sync via PUT on the serve route, sequential and parallel steps, step retries
 * (function `retries`, exponential backoff 100 ms × 2^n capped at 5 s, Retry-After honoured),
 * NonRetriableError / x-inngest-no-retry, function-level errors (5xx retried, 4xx final),
 * onFailure via inngest/function.failed, step.sleep / sleepUntil (real timers), concurrency
 * limits with an optional key `event.<path>`, cancelOn (event + match/if + timeout), a timeout
 * on every request to the app (a timed-out request is retried like a 5xx).
 *
 * With a signing key (INNGEST_SIGNING_KEY), as Inngest Cloud: signed requests to the app, only
 * signed answers, registrations only with the key's hash, events only with the event key.
 *
 * Not supported (rejected at registration, or the run fails naming the op): wildcard triggers, throttle, rate limits, debounce, batching, idempotency keys, singleton,
 * priority, function timeouts, step.waitForEvent, step.invoke, step.ai, signals, defers,
 * checkpointing, streaming, durable state across restarts, expressions beyond
 * `a == b` / `a != b` comparisons joined by &&.
 */
import { randomUUID } from "node:crypto";
import { z } from "zod";
import { Executor, type RunSummary } from "./executor";
import { incomingEventSchema, type EngineEvent, type IncomingEvent } from "./protocol";
import { FunctionRegistry, RegistrationError } from "./registry";
import type { EngineLog } from "./run-driver";
import { close, createEngineServer, listen, type JsonReply } from "./server";
import { CronTimers, SCHEDULED_EVENT } from "./cron";
import { hashedSigningKey } from "./signing";
import { RUN_LIMITS } from "./run-driver";
import { syncApp } from "./sync";

export type { EngineLog } from "./run-driver";

export interface LocalEngine {
  url: string;
  stop(): Promise<void>;
  sync(): Promise<void>;
  activeRuns(): Array<{ runId: string; functionId: string; event: { name: string; data: unknown }; status: string; startedAt: number }>;
  registeredFunctions(): string[];
}

const MAX_TIMER_MS = 2 ** 31 - 1;

const optionsSchema = z.object({
  port: z.number().int().min(0).max(65535),
  host: z.string().min(1).default("127.0.0.1"),
  /** The app's serve routes: one per process that runs the steps (job workers); each is synced, and steps go to them in turn. */
  appServeUrls: z.array(z.url()).min(1),
  /** Upper bound for every request to the app; steps must finish well within it. */
  requestTimeoutMs: z
    .number()
    .int()
    .positive()
    .max(MAX_TIMER_MS)
    .default(5 * 60_000),
  /**
   * Inngest's signing key (INNGEST_SIGNING_KEY), to talk to the app as Inngest Cloud does: signed
   * requests, only signed answers, registrations only with the key's hash.
   */
  signingKey: z
    .string()
    .regex(/^(signkey-[\w]+-)?[0-9a-f]+$/i, "a signing key is hex, optionally after signkey-<env>-")
    .optional(),
  /** Inngest's event key (INNGEST_EVENT_KEY): when set, events to any other /e/:key are refused. */
  eventKey: z.string().min(1).optional(),
  /** Inngest's limits on a function run (RUN_LIMITS); tests of the mechanism lower them. */
  limits: z
    .object({ steps: z.number().int().positive(), stepBytes: z.number().int().positive(), stateBytes: z.number().int().positive() })
    .default(RUN_LIMITS),
  /** Starts every run id, so an app with several engines on one database can tell its own runs from others'. */
  runIdPrefix: z.string().max(200).default(""),
  /** How long sync() keeps retrying while the app is not answering yet. */
  syncTimeoutMs: z.number().int().positive().max(MAX_TIMER_MS).default(60_000),
});

export type LocalEngineOptions = z.input<typeof optionsSchema> & { log?: EngineLog };

const defaultLog: EngineLog = (level, message) => {
  const line = `[engine] ${message}`;
  if (level === "info") console.info(line);
  else if (level === "warn") console.warn(line);
  else console.error(line);
};

function urlHost(host: string) {
  if (host === "0.0.0.0") return "127.0.0.1";
  if (host === "::") return "[::1]";
  return host.includes(":") ? `[${host}]` : host;
}

function normalizeEvent(event: IncomingEvent, now: number): EngineEvent {
  return { ...event, id: event.id || randomUUID(), name: event.name, data: event.data ?? {}, ts: event.ts ?? now };
}

export async function startLocalEngine(rawOptions: LocalEngineOptions): Promise<LocalEngine> {
  const options = optionsSchema.parse(rawOptions);
  const log = rawOptions.log ?? defaultLog;
  const registry = new FunctionRegistry();
  const executor = new Executor({
    registry,
    log,
    requestTimeoutMs: options.requestTimeoutMs,
    signingKey: options.signingKey,
    limits: options.limits,
    runIdPrefix: options.runIdPrefix,
  });
  const timers = new CronTimers((expression) => {
    const event = normalizeEvent({ name: SCHEDULED_EVENT, data: { cron: expression } }, Date.now());
    log("info", `schedule "${expression}" fired (${event.id})`);
    executor.ingest(event);
  });
  const registrationToken = options.signingKey ? `Bearer ${hashedSigningKey(options.signingKey)}` : undefined;
  /** With a signing key, what the app asks of the engine (a registration, its functions) must carry the key's hash. */
  const lacksSigningKey = (authorization: string | undefined, what: string) => {
    if (!registrationToken || authorization === registrationToken) return false;
    log("warn", `${what} refused: the request does not carry the hash of the engine's signing key`);
    return true;
  };
  const UNAUTHORIZED = "Unauthorized: wrong or missing signing key";
  const stopController = new AbortController();
  let url = "";
  let syncing: Promise<void> | undefined;

  const sync = () => {
    const each = options.appServeUrls.map((appServeUrl) =>
      syncApp({
        appServeUrl,
        engineUrl: url,
        registry,
        timeoutMs: options.syncTimeoutMs,
        requestTimeoutMs: options.requestTimeoutMs,
        signingKey: options.signingKey,
        stopSignal: stopController.signal,
        log,
      }),
    );
    syncing ??= Promise.all(each)
      .then(() => undefined)
      .finally(() => {
        syncing = undefined;
      });
    return syncing;
  };

  const register = (body: unknown, authorization: string | undefined): JsonReply => {
    if (lacksSigningKey(authorization, "registration")) {
      return { status: 401, body: { status: 401, skipped: true, modified: false, error: UNAUTHORIZED } };
    }
    try {
      const { appName, functionIds } = registry.register(body);
      timers.update(registry.cronExpressions());
      log("info", `app "${appName}" registered ${functionIds.length} function(s): ${functionIds.join(", ")}`);
      return { status: 200, body: { status: 200, skipped: false, modified: true } };
    } catch (error) {
      if (!(error instanceof RegistrationError)) throw error;
      log("error", `registration rejected: ${error.message}`);
      return { status: 400, body: { status: 400, skipped: false, modified: false, error: error.message } };
    }
  };

  const ingest = async (body: unknown, key: string): Promise<JsonReply> => {
    if (options.eventKey && key !== options.eventKey) {
      log("warn", "events refused: not sent with the engine's event key");
      return { status: 401, body: { ids: [], status: 401, error: "Unauthorized: wrong event key" } };
    }
    const parsed = z.array(incomingEventSchema).safeParse(Array.isArray(body) ? body : [body]);
    if (!parsed.success) {
      const error = `invalid event payload: ${parsed.error.issues.map((i) => `${i.path.join(".") || "event"}: ${i.message}`).join("; ")}`;
      log("warn", error);
      return { status: 400, body: { ids: [], status: 400, error } };
    }
    const now = Date.now();
    const events = parsed.data.map((event) => normalizeEvent(event, now));
    if (registry.isEmpty()) await sync();
    for (const event of events) {
      log("info", `event ${event.name} (${event.id}) received`);
      executor.ingest(event);
    }
    return { status: 200, body: { ids: events.map((event) => event.id), status: 200 } };
  };

  const server = createEngineServer(
    {
      register,
      ingest,
      appFunctions: (appName, authorization) => {
        if (lacksSigningKey(authorization, "function list")) return { status: 401, body: { error: UNAUTHORIZED } };
        // The fields Inngest's API gives (its ids are UUIDs; here the function's own id stands in).
        const listed = registry.ofApp(appName).map((fn) => ({ ID: fn.id, AppID: appName, Slug: fn.id, Name: fn.name }));
        return { status: 200, body: listed };
      },
      health: () => ({
        status: 200,
        body: { engine: "trawl-offline", functions: registry.ids(), activeRuns: executor.activeRuns().length, ...executor.stats },
      }),
    },
    log,
  );
  const port = await listen(server, options.port, options.host);
  url = `http://${urlHost(options.host)}:${port}`;
  log("info", `Trawl's offline engine listening on ${url}, serving the app at ${options.appServeUrls.join(", ")}`);

  let stopping: Promise<void> | undefined;
  return {
    url,
    sync,
    stop() {
      stopping ??= (async () => {
        stopController.abort();
        timers.stop();
        await Promise.all([executor.stop(), close(server)]);
        log("info", `Trawl's offline engine on ${url} stopped`);
      })();
      return stopping;
    },
    activeRuns: (): RunSummary[] => executor.activeRuns(),
    registeredFunctions: () => registry.ids(),
  };
}
