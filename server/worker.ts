// A job worker: a plain Node HTTP server whose only route is the Inngest serve endpoint, with
// the same functions as the Next.js route (the SDK's own handler for Node, inngest/node). The
// offline engine, or a real Inngest server, calls it to run the job steps, so the downloads
// never share the web server's event loop. It listens on loopback: its one caller is the engine.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { serve } from "inngest/node";
import { inngest } from "@/inngest/client";
import { functions } from "@/inngest/functions";
import { prepareDatabase } from "@/lib/db";
import { errorMessage, log } from "@/lib/log";
import { prepareStorage } from "./boot";

export const SERVE_PATH = "/api/inngest";

export interface Worker {
  url: string;
  close(): Promise<void>;
}

export async function startWorker(options: { port: number; host?: string; name?: string }): Promise<Worker> {
  const host = options.host ?? "127.0.0.1";
  await prepareStorage();
  await prepareDatabase();
  const origin = `http://${host}:${options.port}`;
  const handler = serve({ client: inngest, functions, serveOrigin: origin, servePath: SERVE_PATH });
  const server = http.createServer((request, response) => {
    if (new URL(request.url ?? "/", origin).pathname !== SERVE_PATH) {
      response.writeHead(404, { "content-type": "text/plain" }).end("not found");
      return;
    }
    Promise.resolve(handler(request, response)).catch((error: unknown) => {
      log.error("worker request failed", { url: request.url, error: errorMessage(error) });
      if (!response.headersSent) response.writeHead(500, { "content-type": "text/plain" });
      response.end("Internal Server Error");
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${host}:${port}${SERVE_PATH}`;
  log.info(`${options.name ?? "job worker"} serving Trawl's functions at ${url}`);
  return {
    url,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
