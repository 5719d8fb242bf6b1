import { Transform, type Readable } from "node:stream";
import { request, type Dispatcher } from "undici";
import { config } from "@/lib/config";
import { BlockedUrlError, HttpError, type HttpClient } from "@/lib/net/http-client";
import { formatBytes } from "@/lib/byte-size";
import { guardedAgent } from "@/lib/net/guarded-agent";
import { assertFetchableUrl } from "@/lib/net/url-policy";
import {
  describeBodyError,
  describeFetchError,
  overLimitError,
  parseRetryAfter,
  ResponseTooLargeError,
  TruncatedResponseError,
  truncatedMessage,
  type FetchContext,
} from "@/lib/net/fetch-errors";

// Every outgoing request Trawl makes goes through openSafe: http(s) only, every hop's
// address judged (see url-policy.ts and guarded-agent.ts), redirects followed by hand,
// and caps on total time, idle time and bytes.

export interface SafeFetchOptions {
  allowHosts: string[];
  userAgent: string;
  maxBytes: number;
  timeoutMs: number;
  idleTimeoutMs: number;
  maxRedirects?: number;
}

export interface OpenSafeOptions extends SafeFetchOptions {
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /** Statuses outside 2xx handed back as a response instead of thrown (e.g. 416 to a Range request). */
  acceptStatuses?: readonly number[];
}

export interface SafeResponse {
  url: string;
  status: number;
  headers: Record<string, string>;
  /** The body as a stream, capped and with readable errors. Use either it or readAll(), not both. */
  readonly body: Readable;
  /** The whole body in memory, under the same cap and with the same errors, without a stream in between. */
  readAll(): Promise<Buffer>;
  contentLength?: number;
}

const DEFAULT_MAX_REDIRECTS = 5;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
/** JSON and HTML documents are read into memory, so they get a tighter cap than files. */
const TEXT_BODY_CAP = 20 * 1024 * 1024;

function flattenHeaders(raw: Record<string, string | string[] | undefined>): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw)) {
    if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(", ") : value;
  }
  return headers;
}

function lowerCaseKeys(headers: Record<string, string> | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(headers ?? {}).map(([name, value]) => [name.toLowerCase(), value]));
}

function parseContentLength(value: string | undefined): number | undefined {
  return value !== undefined && /^\d+$/.test(value.trim()) ? Number(value.trim()) : undefined;
}

/** Like browsers, never hand a caller's credentials to another origin on a redirect. */
function dropCredentials(headers: Record<string, string>): void {
  for (const name of ["authorization", "cookie", "proxy-authorization"]) delete headers[name];
}

/** Reads away (at most 64 KB of) a body we will not use, so the connection can be reused. */
async function discardBody(body: Dispatcher.ResponseData["body"]): Promise<void> {
  await body.dump({ limit: 64 * 1024 });
}

function resolveRedirect(location: string, from: URL): string {
  try {
    return new URL(location, from).href;
  } catch {
    throw new BlockedUrlError(`refused: ${from.host} redirected to an invalid URL ${JSON.stringify(location.slice(0, 200))}`);
  }
}

/**
 * Counts bytes as they pass and fails the stream once the cap is exceeded or when it ends
 * short of the declared length; source errors are mapped to readable errors, and
 * destroying the result releases the connection.
 */
function capBody(source: Readable, maxBytes: number, declared: number | undefined, ctx: FetchContext): Readable {
  let seen = 0;
  const capped = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      seen += chunk.length;
      if (seen > maxBytes) {
        callback(overLimitError(ctx.host, maxBytes));
        return;
      }
      callback(null, chunk);
    },
    flush(callback) {
      // undici fails a short body itself; this keeps the promise if that ever changes.
      if (declared !== undefined && seen < declared)
        return callback(new TruncatedResponseError(truncatedMessage(seen, declared, ctx.host)));
      callback();
    },
  });
  source.on("error", (err) => capped.destroy(describeBodyError(err, ctx, seen, declared) as Error));
  capped.on("close", () => {
    if (!source.destroyed) source.destroy();
  });
  source.pipe(capped);
  return capped;
}

export async function openSafe(url: string, options: OpenSafeOptions): Promise<SafeResponse> {
  const maxRedirects = options.maxRedirects ?? DEFAULT_MAX_REDIRECTS;
  const timeout = AbortSignal.timeout(options.timeoutMs);
  const signal = options.signal ? AbortSignal.any([timeout, options.signal]) : timeout;
  const dispatcher = guardedAgent(options);
  const headers = { "accept-encoding": "identity", "user-agent": options.userAgent, ...lowerCaseKeys(options.headers) };

  let target = assertFetchableUrl(url, options.allowHosts);
  for (let redirects = 0; ; redirects++) {
    const ctx: FetchContext = {
      host: target.host,
      timeoutMs: options.timeoutMs,
      idleTimeoutMs: options.idleTimeoutMs,
      timeout,
      caller: options.signal,
    };
    let response: Awaited<ReturnType<typeof request>>;
    try {
      response = await request(target, { method: "GET", headers, signal, dispatcher });
    } catch (err) {
      throw describeFetchError(err, ctx);
    }
    const status = response.statusCode;
    const responseHeaders = flattenHeaders(response.headers);

    if (REDIRECT_STATUSES.has(status)) {
      await discardBody(response.body);
      const location = responseHeaders.location;
      if (!location) throw new HttpError(`HTTP ${status} redirect without a Location from ${target.host}`, status);
      if (redirects >= maxRedirects) throw new HttpError(`too many redirects (over ${maxRedirects}) fetching ${url.slice(0, 200)}`);
      const next = assertFetchableUrl(resolveRedirect(location, target), options.allowHosts);
      if (next.origin !== target.origin) dropCredentials(headers);
      target = next;
      continue;
    }
    if ((status < 200 || status >= 300) && !options.acceptStatuses?.includes(status)) {
      await discardBody(response.body);
      throw new HttpError(`HTTP ${status} from ${target.host}`, status, parseRetryAfter(responseHeaders["retry-after"]));
    }
    const contentLength = parseContentLength(responseHeaders["content-length"]);
    if (contentLength !== undefined && contentLength > options.maxBytes) {
      await discardBody(response.body);
      throw new ResponseTooLargeError(
        `response from ${target.host} is ${formatBytes(contentLength)}, over the ${formatBytes(options.maxBytes)} limit`,
      );
    }
    const raw = response.body;
    let capped: Readable | undefined;
    return {
      url: target.href,
      status,
      headers: responseHeaders,
      contentLength,
      // Made on first use: a small file read whole skips the extra stream and its work per chunk.
      get body() {
        capped ??= capBody(raw, options.maxBytes, contentLength, ctx);
        return capped;
      },
      readAll: () => readCapped(raw, options.maxBytes, contentLength, ctx),
    };
  }
}

/** Like capBody, for a body read whole. */
async function readCapped(
  source: Dispatcher.ResponseData["body"],
  maxBytes: number,
  declared: number | undefined,
  ctx: FetchContext,
): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let seen = 0;
  try {
    for await (const chunk of source as AsyncIterable<Buffer>) {
      seen += chunk.length;
      if (seen > maxBytes) throw overLimitError(ctx.host, maxBytes);
      chunks.push(chunk);
    }
  } catch (err) {
    if (err instanceof ResponseTooLargeError) throw err;
    throw describeBodyError(err, ctx, seen, declared);
  }
  if (declared !== undefined && seen < declared) throw new TruncatedResponseError(truncatedMessage(seen, declared, ctx.host));
  return Buffer.concat(chunks, seen);
}

function decodeText(bytes: Buffer, contentType: string): string {
  const charset = /charset\s*=\s*"?([^";\s]+)/i.exec(contentType)?.[1] ?? "utf-8";
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(charset);
  } catch {
    // An unknown charset label: decode as UTF-8 like browsers do for unlabelled documents.
    decoder = new TextDecoder("utf-8");
  }
  return decoder.decode(bytes);
}

export function createHttpClient(options: SafeFetchOptions): HttpClient {
  const textOptions = { ...options, maxBytes: Math.min(options.maxBytes, TEXT_BODY_CAP) };

  async function getText(
    url: string,
    init?: { headers?: Record<string, string> },
    accept = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
  ) {
    const response = await openSafe(url, { ...textOptions, headers: { accept, ...lowerCaseKeys(init?.headers) } });
    const contentType = response.headers["content-type"] ?? "";
    return { text: decodeText(await response.readAll(), contentType), url: response.url, contentType };
  }

  return {
    getText: (url, init) => getText(url, init),
    async getJson(url, init) {
      const { text, url: finalUrl } = await getText(url, init, "application/json");
      try {
        return JSON.parse(text) as unknown;
      } catch (err) {
        const error = new HttpError(`malformed JSON from ${new URL(finalUrl).host}`);
        error.cause = err;
        throw error;
      }
    },
  };
}

export function safeFetchOptionsFromConfig(cfg = config()): SafeFetchOptions {
  return {
    allowHosts: cfg.fetch.allowHosts,
    userAgent: cfg.userAgent,
    maxBytes: cfg.fetch.maxFileBytes,
    timeoutMs: cfg.fetch.timeoutMs,
    idleTimeoutMs: cfg.fetch.idleTimeoutMs,
  };
}
