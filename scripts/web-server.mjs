#!/usr/bin/env node
// Trawl's production web server: Next's request handler behind a plain Node HTTP server, so
// the client's address is known. It sets x-trawl-client-ip from the socket — or, when the
// socket is one of TRAWL_TRUSTED_PROXIES, from the last X-Forwarded-For entry that proxy
// added — and drops any copy a client sent. Login rate limiting and the reverse-proxy user
// header (lib/auth) trust that header and nothing else. A page's revalidating poll whose answer
// has not changed is answered 304 here, before Next (server/unchanged-poll.ts, loaded through
// tsx: serve.mjs starts this file with --import tsx).
import http from "node:http";
import path from "node:path";
import { fileURLToPath } from "node:url";
import next from "next";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const hostname = process.env.TRAWL_HOST ?? "127.0.0.1";
const port = Number(process.env.PORT ?? "3000");
const trusted = new Set(
  (process.env.TRAWL_TRUSTED_PROXIES ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean),
);

const normalise = (ip) => (ip?.startsWith("::ffff:") ? ip.slice(7) : ip) ?? "";

function clientIp(request) {
  const peer = normalise(request.socket.remoteAddress);
  if (!trusted.has(peer)) return peer;
  const forwarded = String(request.headers["x-forwarded-for"] ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  return forwarded.at(-1) ?? peer;
}

const app = next({ dev: false, dir: root, hostname, port });
await app.prepare();
// After prepare: lib/auth reaches next/headers, which needs the AsyncLocalStorage Next sets up.
const { unchangedPoll } = await import("../server/unchanged-poll.ts");
// tsx turns on source maps for the whole process; every function compiled later (Prisma's query
// interpreter compiles some per query) then costs a source-map lookup: about 0.2 ms a poll.
process.setSourceMapsEnabled(false);
const handle = app.getRequestHandler();

async function answer(request, response) {
  const unchanged = await unchangedPoll(request.method, request.url, request.headers);
  if (unchanged) {
    response.writeHead(304, unchanged).end();
    return;
  }
  await handle(request, response);
}

const server = http.createServer((request, response) => {
  request.headers["x-trawl-client-ip"] = clientIp(request);
  answer(request, response).catch((error) => {
    console.error(
      JSON.stringify({
        time: new Date().toISOString(),
        level: "error",
        message: "request failed",
        url: request.url,
        error: String(error?.stack ?? error),
      }),
    );
    if (!response.headersSent) response.writeHead(500, { "content-type": "text/plain" });
    response.end("Internal Server Error");
  });
});
server.listen(port, hostname, () =>
  console.log(`web server listening on http://${hostname.includes(":") ? `[${hostname}]` : hostname}:${port}`),
);
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => server.close(() => process.exit(0)));
