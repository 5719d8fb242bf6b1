// Test support for the engine tests (not used by the app): a real node:http server that
// hands requests to the REAL Inngest SDK route handlers from "inngest/next", as Next.js does
// for app/api/inngest/route.ts, plus a log recorder and latches.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { Inngest, type InngestFunction } from "inngest";
import { serve } from "inngest/next";
import { NextRequest } from "next/server";
import { startLocalEngine, type EngineLog, type LocalEngine, type LocalEngineOptions } from "@/engine";

export interface Latch<T = void> {
  promise: Promise<T>;
  resolve(value: T): void;
}

export function latch<T = void>(): Latch<T> {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

/** Resolves once `count` parties have arrived; each arrival waits for all of them. */
export function barrier(count: number) {
  let arrived = 0;
  const all = latch();
  return async () => {
    arrived += 1;
    if (arrived === count) all.resolve();
    await all.promise;
  };
}

/** Records engine log lines and lets tests wait for one to appear (no sleeps, no polling). */
export class LogRecorder {
  readonly lines: Array<{ level: string; message: string }> = [];
  private waiters: Array<{ pattern: RegExp; resolve(match: RegExpMatchArray): void }> = [];

  readonly log: EngineLog = (level, message) => {
    this.lines.push({ level, message });
    if (process.env.ENGINE_TEST_LOG) console.info(`[engine:${level}] ${message}`);
    this.waiters = this.waiters.filter((waiter) => {
      const match = message.match(waiter.pattern);
      if (match) waiter.resolve(match);
      return !match;
    });
  };

  /** The first line, past or future, matching `pattern`. */
  waitFor(pattern: RegExp): Promise<RegExpMatchArray> {
    for (const line of this.lines) {
      const match = line.message.match(pattern);
      if (match) return Promise.resolve(match);
    }
    return new Promise((resolve) => this.waiters.push({ pattern, resolve }));
  }

  matching(pattern: RegExp): string[] {
    return this.lines.map((line) => line.message).filter((message) => pattern.test(message));
  }
}

export const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

type Routes = ReturnType<typeof serve>;

async function bridge(routes: Routes, req: http.IncomingMessage, res: http.ServerResponse) {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const headers = new Headers();
  for (const [key, value] of Object.entries(req.headers)) {
    if (typeof value === "string") headers.set(key, value);
    else if (Array.isArray(value)) for (const item of value) headers.append(key, item);
  }
  const method = req.method ?? "GET";
  const request = new NextRequest(`http://${req.headers.host}${req.url}`, {
    method,
    headers,
    body: method === "GET" || method === "HEAD" ? undefined : Buffer.concat(chunks),
  });
  const handler = method === "GET" ? routes.GET : method === "POST" ? routes.POST : method === "PUT" ? routes.PUT : undefined;
  if (!handler) {
    res.writeHead(405).end();
    return;
  }
  const response = await handler(request, undefined);
  res.writeHead(response.status, Object.fromEntries(response.headers));
  res.end(Buffer.from(await response.arrayBuffer()));
}

function listenOnLoopback(server: http.Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve((server.address() as AddressInfo).port));
  });
}

/** A port on which nothing listens (for "app not up" tests). */
export async function closedPort(): Promise<number> {
  const server = http.createServer();
  const port = await listenOnLoopback(server);
  await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
  return port;
}

export interface Harness {
  engine: LocalEngine;
  client: Inngest;
  logs: LogRecorder;
  appServeUrl: string;
  /** Waits for the log line announcing a run outcome of function `fnId` (optionally of one run). */
  waitForRun(fnId: string, outcome: "started" | "completed" | "failed" | "cancelled", runId?: string): Promise<string>;
  close(): Promise<void>;
}

export async function startHarness(options: {
  functions: (client: Inngest) => InngestFunction.Any[];
  engine?: Partial<Omit<LocalEngineOptions, "port" | "appServeUrls" | "log">>;
  /** Sync right away (default) or leave it to the engine's sync-before-dispatch. */
  sync?: boolean;
}): Promise<Harness> {
  // The SDK client needs the engine's URL, the engine needs the app's: routes come last.
  const served: { routes?: Routes } = {};
  const app = http.createServer((req, res) => {
    const routes = served.routes;
    if (!routes) {
      res.writeHead(503).end("app not ready");
      return;
    }
    bridge(routes, req, res).catch((error: unknown) => {
      res.writeHead(500, { "content-type": "text/plain" }).end(`test bridge failed: ${String(error)}`);
    });
  });
  const appPort = await listenOnLoopback(app);
  const appServeUrl = `http://127.0.0.1:${appPort}/api/inngest`;
  const logs = new LogRecorder();
  const engine = await startLocalEngine({ ...options.engine, port: 0, appServeUrls: [appServeUrl], log: logs.log });
  const client = new Inngest({ id: "engine-test", isDev: true, baseUrl: engine.url });
  served.routes = serve({ client, functions: options.functions(client) });
  if (options.sync ?? true) await engine.sync();

  return {
    engine,
    client,
    logs,
    appServeUrl,
    async waitForRun(fnId, outcome, runId) {
      const id = runId ? escape(runId) : "\\S+";
      const match = await logs.waitFor(new RegExp(`^run (${id}) \\(${escape(`engine-test-${fnId}`)}\\) ${outcome}\\b`));
      return match[1];
    },
    async close() {
      await engine.stop();
      app.closeAllConnections();
      await new Promise<void>((resolve, reject) => app.close((error) => (error ? reject(error) : resolve())));
    },
  };
}
