import { fetch, type Response } from "undici";
import { canonicalJson, signBody, validSignature } from "./signing";

// One HTTP request from the engine to the app's serve route, with a hard timeout. undici's
// fetch rather than the global one: inside the Next.js server the global fetch is patched.

export interface AppResponse {
  status: number;
  /** Parsed JSON, or the raw text when the body is not JSON. */
  body: unknown;
  /** `x-inngest-no-retry: true`: the SDK says this failure is final. */
  noRetry: boolean;
  retryAfter: string | null;
}

/** The request never produced a response: connection refused, timeout, engine stopping. */
export class AppRequestError extends Error {
  constructor(
    message: string,
    readonly reason: "timeout" | "stopped" | "network",
  ) {
    super(message);
    this.name = "AppRequestError";
  }
}

function describeCause(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? `: ${error.cause.message}` : "";
  return `${error.message}${cause}`;
}

/** JSON when it parses; otherwise the raw text (e.g. a proxy's HTML error page), reported as is. */
function parseBody(text: string): unknown {
  if (text.length === 0) return text;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export async function requestApp(
  method: "POST" | "PUT",
  url: string,
  payload: unknown,
  options: { timeoutMs: number; stopSignal: AbortSignal; signingKey?: string },
): Promise<AppResponse> {
  const body = payload === undefined ? undefined : canonicalJson(payload);
  const { signingKey } = options;
  // With a signing key the engine talks as Inngest Cloud does: signed requests, and only signed answers are taken.
  const headers: Record<string, string> = signingKey
    ? { "content-type": "application/json", "x-inngest-server-kind": "cloud", "x-inngest-signature": signBody(signingKey, body ?? "") }
    : { "content-type": "application/json", "x-inngest-server-kind": "dev" };
  // One controller per request, unlinked in `finally`, so nothing accumulates on the
  // long-lived stop signal however many requests the engine makes.
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, options.timeoutMs);
  const onStop = () => controller.abort();
  options.stopSignal.addEventListener("abort", onStop, { once: true });
  let response: Response;
  let text: string;
  try {
    if (options.stopSignal.aborted) throw new Error("stopped before the request was sent");
    response = await fetch(url, { method, headers, body, signal: controller.signal });
    text = await response.text();
  } catch (error) {
    if (options.stopSignal.aborted) throw new AppRequestError(`${method} ${url} aborted: the engine is stopping`, "stopped");
    if (timedOut) throw new AppRequestError(`${method} ${url} timed out after ${options.timeoutMs} ms`, "timeout");
    throw new AppRequestError(`${method} ${url} failed: ${describeCause(error)}`, "network");
  } finally {
    clearTimeout(timer);
    options.stopSignal.removeEventListener("abort", onStop);
  }
  if (
    signingKey &&
    method === "POST" &&
    response.status < 400 &&
    !validSignature(signingKey, response.headers.get("x-inngest-signature"), text)
  ) {
    // Not the app holding the key (or a proxy in between changed the answer): refused, and final.
    return { status: 401, body: { message: `the answer from ${url} is not signed with the signing key` }, noRetry: true, retryAfter: null };
  }
  return {
    status: response.status,
    body: parseBody(text),
    noRetry: response.headers.get("x-inngest-no-retry") === "true",
    retryAfter: response.headers.get("retry-after"),
  };
}
