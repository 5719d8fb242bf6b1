import http from "node:http";
import type { AddressInfo } from "node:net";
import { createHash } from "node:crypto";
import sharp from "sharp";

// A real HTTP server on 127.0.0.1 that serves files the way real servers do (Range,
// If-Range, ETag, Last-Modified, 206/416) and fails on request in the ways real servers
// and networks fail. Test support only; nothing in the app imports it.

export interface FaultResource {
  body: Buffer;
  contentType: string;
  /** Sent with every answer; default a strong ETag from the body, null for none. */
  etag?: string | null;
  /** Default a fixed date, null for none. */
  lastModified?: string | null;
  /** No Content-Length: the body is sent chunked. */
  chunked?: boolean;
}

export type Fault =
  /** Answers with this status (and headers) instead of the file. */
  | { kind: "status"; status: number; headers?: Record<string, string> }
  /** Sends the headers and `afterBytes` of the body, then resets the connection (TCP RST) on release(). */
  | { kind: "reset"; afterBytes: number }
  /** Sends the headers (with the full Content-Length) and `afterBytes`, then closes the connection cleanly on release(). */
  | { kind: "truncate"; afterBytes: number }
  /** Sends the headers and `afterBytes`, then nothing, ever. */
  | { kind: "stall"; afterBytes: number }
  /** Answers 200 with the whole file, whatever Range asked for. */
  | { kind: "ignore-range" }
  /** Answers a Range request with bytes starting `by` later than asked (and says so). */
  | { kind: "shift-range"; by: number };

export interface RequestRecord {
  range: string | null;
  ifRange: string | null;
  status: number;
}

export interface FaultServer {
  origin: string;
  /** The host:port entry that lets safe-fetch reach this server. */
  allowEntry: string;
  /** Serves `resource` at `path`; `faults` apply to the next requests, one each, in order. */
  serve(path: string, resource: FaultResource, faults?: Fault[]): void;
  /** Every request made to `path`, in order, with the status it got. */
  requests(path: string): RequestRecord[];
  /** Ends the answers that reset and truncate faults are holding open. */
  release(): void;
  close(): Promise<void>;
}

export const FIXED_LAST_MODIFIED = "Wed, 21 Oct 2015 07:28:00 GMT";

/** A PNG of deterministic noise: it does not compress, so its size is about width × height × 3. */
export async function noisePng(width: number, height: number, seed: number): Promise<Buffer> {
  const pixels = Buffer.alloc(width * height * 3);
  let state = seed >>> 0;
  for (let i = 0; i < pixels.length; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    pixels[i] = state >>> 24;
  }
  return sharp(pixels, { raw: { width, height, channels: 3 } })
    .png({ compressionLevel: 1 })
    .toBuffer();
}

interface Answer {
  status: number;
  headers: Record<string, string | number>;
  body: Buffer;
}

function validatorHeaders(resource: FaultResource): Record<string, string> {
  const etag = resource.etag === undefined ? `"${createHash("sha1").update(resource.body).digest("hex").slice(0, 16)}"` : resource.etag;
  const lastModified = resource.lastModified === undefined ? FIXED_LAST_MODIFIED : resource.lastModified;
  return { ...(etag ? { etag } : {}), ...(lastModified ? { "last-modified": lastModified } : {}) };
}

/** What a correct server answers: the whole file, the asked range (206) or 416. */
function answer(resource: FaultResource, req: http.IncomingMessage, honourRange: boolean): Answer {
  const validators = validatorHeaders(resource);
  const headers: Record<string, string | number> = { "content-type": resource.contentType, "accept-ranges": "bytes", ...validators };
  const whole = { status: 200, headers: { ...headers, "content-length": resource.body.length }, body: resource.body };
  const range = /^bytes=(\d+)-(\d*)$/.exec(req.headers.range ?? "");
  const ifRange = req.headers["if-range"];
  const current = ifRange === undefined || ifRange === validators.etag || ifRange === validators["last-modified"];
  if (!honourRange || !range || !current) return whole;
  const size = resource.body.length;
  const start = Number(range[1]);
  if (start >= size)
    return { status: 416, headers: { ...headers, "content-range": `bytes */${size}`, "content-length": 0 }, body: Buffer.alloc(0) };
  const end = range[2] ? Math.min(Number(range[2]), size - 1) : size - 1;
  const body = resource.body.subarray(start, end + 1);
  return { status: 206, headers: { ...headers, "content-range": `bytes ${start}-${end}/${size}`, "content-length": body.length }, body };
}

function shifted(resource: FaultResource, original: Answer, by: number): Answer {
  if (original.status !== 206) return original;
  const range = /^bytes (\d+)-(\d+)\/(\d+)$/.exec(String(original.headers["content-range"]));
  if (!range) return original;
  const start = Number(range[1]) + by;
  const end = Number(range[2]);
  const body = resource.body.subarray(start, end + 1);
  return {
    status: 206,
    headers: { ...original.headers, "content-range": `bytes ${start}-${end}/${range[3]}`, "content-length": body.length },
    body,
  };
}

export async function startFaultServer(): Promise<FaultServer> {
  const resources = new Map<string, { resource: FaultResource; faults: Fault[] }>();
  const records = new Map<string, RequestRecord[]>();
  let held: Array<() => void> = [];

  const server = http.createServer((req, res) => {
    const pathname = new URL(req.url ?? "/", "http://fixture").pathname;
    const entry = resources.get(pathname);
    const record: RequestRecord = {
      range: req.headers.range ?? null,
      ifRange: (req.headers["if-range"] as string | undefined) ?? null,
      status: 404,
    };
    records.set(pathname, [...(records.get(pathname) ?? []), record]);
    if (!entry) {
      res.writeHead(404);
      return res.end();
    }
    const { resource } = entry;
    const fault = entry.faults.shift();
    if (fault?.kind === "status") {
      record.status = fault.status;
      res.writeHead(fault.status, { "content-type": "text/plain", ...fault.headers });
      return res.end(`fault: ${fault.status}`);
    }
    let reply = answer(resource, req, fault?.kind !== "ignore-range");
    if (fault?.kind === "shift-range") reply = shifted(resource, reply, fault.by);
    record.status = reply.status;
    const headers = resource.chunked
      ? Object.fromEntries(Object.entries(reply.headers).filter(([name]) => name !== "content-length"))
      : reply.headers;
    res.writeHead(reply.status, headers);
    if (fault?.kind === "reset" || fault?.kind === "truncate" || fault?.kind === "stall") {
      res.write(reply.body.subarray(0, fault.afterBytes));
      const socket = res.socket;
      if (fault.kind === "reset" && socket) held.push(() => socket.resetAndDestroy());
      if (fault.kind === "truncate" && socket) held.push(() => socket.end());
      return;
    }
    res.end(reply.body);
  });

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    origin: `http://127.0.0.1:${port}`,
    allowEntry: `127.0.0.1:${port}`,
    serve(path, resource, faults = []) {
      resources.set(path, { resource, faults: [...faults] });
    },
    requests: (path) => records.get(path) ?? [],
    release() {
      const actions = held;
      held = [];
      for (const action of actions) action();
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
