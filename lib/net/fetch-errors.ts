import { formatBytes } from "@/lib/byte-size";
import { BlockedUrlError, HttpError } from "@/lib/net/http-client";

// Turns the many ways a fetch can fail into errors with messages fit for the dashboard.

/** The response is bigger than the caller's byte cap (declared or counted). */
export class ResponseTooLargeError extends HttpError {
  constructor(message: string) {
    super(message);
    this.name = "ResponseTooLargeError";
  }
}

/** A body that grew past the byte cap while it was read. */
export function overLimitError(host: string, maxBytes: number): ResponseTooLargeError {
  return new ResponseTooLargeError(`response from ${host} is over the ${formatBytes(maxBytes)} limit`);
}

/** The body ended before the length the server declared: nothing short is ever stored. */
export class TruncatedResponseError extends HttpError {
  constructor(message: string) {
    super(message);
    this.name = "TruncatedResponseError";
  }
}

/** The file is not something we keep (wrong type, an HTML page, too large): do not retry. */
export class MediaRejectedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "MediaRejectedError";
  }
}

export function truncatedMessage(received: number, expected: number, host: string): string {
  return `truncated: got ${received} of ${expected} bytes from ${host}`;
}

/** Retry-After is either delay-seconds or an HTTP date; returns milliseconds from `now`. */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const date = Date.parse(text);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

function withCause<T extends Error>(error: T, cause: unknown): T {
  (error as { cause?: unknown }).cause = cause;
  return error;
}

const NETWORK_MESSAGES: Record<string, (host: string) => string> = {
  ENOTFOUND: (host) => `could not resolve ${host}`,
  EAI_AGAIN: (host) => `could not resolve ${host} (DNS lookup failed)`,
  ECONNREFUSED: (host) => `connection refused by ${host}`,
  ECONNRESET: (host) => `connection to ${host} was reset`,
  EHOSTUNREACH: (host) => `${host} is unreachable`,
  ENETUNREACH: (host) => `network unreachable for ${host}`,
  UND_ERR_SOCKET: (host) => `connection to ${host} closed unexpectedly`,
  UND_ERR_RES_CONTENT_LENGTH_MISMATCH: (host) => `response from ${host} was cut short`,
};

/** undici's codes for a connection that ended (cleanly or not) before the body was complete. */
const CUT_SHORT_CODES = new Set(["UND_ERR_SOCKET", "UND_ERR_RES_CONTENT_LENGTH_MISMATCH"]);

export interface FetchContext {
  host: string;
  timeoutMs: number;
  idleTimeoutMs: number;
  /** Our total-time signal, to tell our own timeout apart from other aborts. */
  timeout: AbortSignal;
  caller?: AbortSignal;
}

/**
 * Maps a failure while connecting or reading to the error callers should see: the caller's
 * own abort reason, a BlockedUrlError or HttpError passed through, or an HttpError that
 * names the host and what went wrong.
 */
export function describeFetchError(err: unknown, ctx: FetchContext): unknown {
  if (ctx.caller?.aborted) return ctx.caller.reason;
  if (err instanceof BlockedUrlError || err instanceof HttpError) return err;
  if (ctx.timeout.aborted) {
    return withCause(new HttpError(`timed out after ${ctx.timeoutMs / 1000} s fetching from ${ctx.host}`), err);
  }
  const code = (err as { code?: unknown } | null)?.code;
  if (code === "UND_ERR_HEADERS_TIMEOUT" || code === "UND_ERR_BODY_TIMEOUT" || code === "UND_ERR_CONNECT_TIMEOUT") {
    return withCause(new HttpError(`no response from ${ctx.host} for ${ctx.idleTimeoutMs / 1000} s`), err);
  }
  const known = typeof code === "string" ? NETWORK_MESSAGES[code] : undefined;
  if (known) return withCause(new HttpError(known(ctx.host)), err);
  const detail = err instanceof Error ? err.message : String(err);
  return withCause(new HttpError(`could not fetch from ${ctx.host}: ${detail}`), err);
}

/**
 * Like describeFetchError, for a failure while reading a body of known length: a connection
 * closed before the declared length becomes a TruncatedResponseError saying how much came.
 */
export function describeBodyError(err: unknown, ctx: FetchContext, received: number, declared: number | undefined): unknown {
  const code = (err as { code?: unknown } | null)?.code;
  const cutShort = typeof code === "string" && CUT_SHORT_CODES.has(code);
  if (cutShort && declared !== undefined && received < declared && !ctx.caller?.aborted && !ctx.timeout.aborted) {
    return withCause(new TruncatedResponseError(truncatedMessage(received, declared, ctx.host)), err);
  }
  return describeFetchError(err, ctx);
}
