import { readFileSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { createHttpClient } from "@/lib/net/safe-fetch";
import type { SourceContext } from "@/lib/sources/types";

// Test support for the source contract tests: a real HTTP server on 127.0.0.1 that answers
// with the recorded fixtures and remembers every request, plus the real safe-fetch client
// allowed to reach it. Nothing in the app imports this.

export const TEST_USER_AGENT = "TrawlTest/0.1 (contract tests; +https://example.test/trawl)";

export interface RecordedRequest {
  path: string;
  params: URLSearchParams;
  headers: http.IncomingHttpHeaders;
}

export interface FixtureReply {
  status?: number;
  headers?: Record<string, string>;
  /** A string is sent as is; anything else as JSON. */
  body: unknown;
}

/** Returns the reply for a request, or undefined for a 404. */
export type FixtureHandler = (request: RecordedRequest, origin: string) => FixtureReply | undefined;

export interface SourceTestServer {
  origin: string;
  requests: RecordedRequest[];
  context: SourceContext;
  close(): Promise<void>;
}

export function fixtureText(name: string): string {
  return readFileSync(new URL(`../fixtures/sources/${name}`, import.meta.url), "utf8");
}

export function fixtureJson<T = Record<string, unknown>>(name: string): T {
  return JSON.parse(fixtureText(name)) as T;
}

export async function startSourceTestServer(handler: FixtureHandler): Promise<SourceTestServer> {
  const requests: RecordedRequest[] = [];
  let origin = "";
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", origin);
    const recorded = { path: url.pathname, params: url.searchParams, headers: req.headers };
    requests.push(recorded);
    const reply = handler(recorded, origin);
    if (!reply) {
      res.writeHead(404, { "content-type": "text/plain" });
      res.end("not found");
      return;
    }
    const isText = typeof reply.body === "string";
    res.writeHead(reply.status ?? 200, {
      "content-type": isText ? "text/html; charset=utf-8" : "application/json",
      ...reply.headers,
    });
    res.end(isText ? reply.body : JSON.stringify(reply.body));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  origin = `http://127.0.0.1:${port}`;
  const client = createHttpClient({
    allowHosts: [`127.0.0.1:${port}`],
    userAgent: TEST_USER_AGENT,
    maxBytes: 5 * 1024 * 1024,
    timeoutMs: 10_000,
    idleTimeoutMs: 5_000,
  });
  return {
    origin,
    requests,
    context: { http: client, userAgent: TEST_USER_AGENT },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
