// One HTTP request from the engine to the app's serve route, with a hard timeout.

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
  options: { timeoutMs: number; stopSignal: AbortSignal },
): Promise<AppResponse> {
  const timeout = AbortSignal.timeout(options.timeoutMs);
  const signal = AbortSignal.any([timeout, options.stopSignal]);
  const explain = (error: unknown) => {
    if (options.stopSignal.aborted) return new AppRequestError(`${method} ${url} aborted: the engine is stopping`, "stopped");
    if (timeout.aborted) return new AppRequestError(`${method} ${url} timed out after ${options.timeoutMs} ms`, "timeout");
    return new AppRequestError(`${method} ${url} failed: ${describeCause(error)}`, "network");
  };
  let response: Response;
  let text: string;
  try {
    response = await fetch(url, {
      method,
      headers: { "content-type": "application/json", "x-inngest-server-kind": "dev" },
      body: payload === undefined ? undefined : JSON.stringify(payload),
      signal,
    });
    text = await response.text();
  } catch (error) {
    throw explain(error);
  }
  return {
    status: response.status,
    body: parseBody(text),
    noRetry: response.headers.get("x-inngest-no-retry") === "true",
    retryAfter: response.headers.get("retry-after"),
  };
}
