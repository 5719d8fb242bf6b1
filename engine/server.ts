import http from "node:http";
import type { AddressInfo } from "node:net";
import type { EngineLog } from "./run-driver";

// The engine's HTTP face: the endpoints the SDK and Trawl talk to.

export interface JsonReply {
  status: number;
  body: unknown;
}

export interface EngineRoutes {
  /** POST /fn/register, with the request's Authorization header */
  register(body: unknown, authorization: string | undefined): JsonReply;
  /** POST /e/:key (the key is checked when the engine has an event key) */
  ingest(body: unknown, key: string): Promise<JsonReply>;
  /** GET /v1/apps/:app/functions (Inngest's REST API), with the request's Authorization header */
  appFunctions(appName: string, authorization: string | undefined): JsonReply;
  /** GET /health */
  health(): JsonReply;
}

const MAX_BODY_BYTES = 32 * 1024 * 1024;

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

async function readJson(req: http.IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > MAX_BODY_BYTES) throw new HttpError(413, `request body larger than ${MAX_BODY_BYTES} bytes`);
    chunks.push(buffer);
  }
  const text = Buffer.concat(chunks).toString("utf8");
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new HttpError(400, `request body is not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function reply(res: http.ServerResponse, { status, body }: JsonReply) {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
}

export function createEngineServer(routes: EngineRoutes, log: EngineLog): http.Server {
  const server = http.createServer((req, res) => {
    const method = req.method ?? "GET";
    const path = new URL(req.url ?? "/", "http://engine").pathname;
    const handle = async (): Promise<JsonReply> => {
      if (method === "GET" && path === "/health") return routes.health();
      if (method === "POST" && path === "/fn/register") return routes.register(await readJson(req), req.headers.authorization);
      const app = /^\/v1\/apps\/([^/]+)\/functions$/.exec(path)?.[1];
      if (method === "GET" && app !== undefined) return routes.appFunctions(decodeURIComponent(app), req.headers.authorization);
      const eventKey = /^\/e\/([^/]+)$/.exec(path)?.[1];
      if (method === "POST" && eventKey !== undefined) return routes.ingest(await readJson(req), decodeURIComponent(eventKey));
      log(
        "warn",
        `unsupported request ${method} ${path}: Trawl's offline engine serves only /fn/register, /e/:key, /v1/apps/:app/functions and /health`,
      );
      return { status: 404, body: { error: `${method} ${path} is not supported by Trawl's offline engine` } };
    };
    handle().then(
      (result) => reply(res, result),
      (error: unknown) => {
        const status = error instanceof HttpError ? error.status : 500;
        const message = error instanceof Error ? error.message : String(error);
        log(status >= 500 ? "error" : "warn", `${method} ${path} answered ${status}: ${message}`);
        reply(res, { status, body: { error: message, status } });
      },
    );
  });
  server.on("clientError", (error, socket) => {
    log("warn", `bad HTTP request to the engine: ${error.message}`);
    socket.destroy();
  });
  return server;
}

export function listen(server: http.Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error) => reject(new Error(`Trawl's offline engine cannot listen on ${host}:${port}: ${error.message}`));
    server.once("error", onError);
    server.listen(port, host, () => {
      server.off("error", onError);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

export function close(server: http.Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.close((error) => (error ? reject(error) : resolve()));
    server.closeAllConnections();
  });
}
