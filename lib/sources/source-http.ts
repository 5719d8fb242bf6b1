import type { z } from "zod";
import { BlockedUrlError, HttpError } from "@/lib/net/http-client";
import { SourceError, type SearchRequest, type SourceContext } from "@/lib/sources/types";

// The one place where transport failures and malformed payloads become SourceErrors, so
// every adapter reports them with the same wording: "<Source name>: <what went wrong>".

/** Statuses worth retrying: the remote is busy or failing, not refusing this request. */
function isRetryableStatus(status: number) {
  return status === 408 || status === 425 || status === 429 || status >= 500;
}

/** Maps an HttpClient failure to a SourceError; anything else (a bug) is returned unchanged. */
export function toSourceError(sourceName: string, error: unknown): unknown {
  if (error instanceof SourceError) return error;
  // The client's messages already name the host and status ("HTTP 500 from api.openverse.org").
  if (error instanceof HttpError) {
    const retryable = error.status === undefined || isRetryableStatus(error.status);
    return new SourceError(`${sourceName}: ${error.message}`, error.status, retryable, error.retryAfterMs);
  }
  if (error instanceof BlockedUrlError) {
    return new SourceError(`${sourceName}: ${error.message}`, undefined, false);
  }
  return error;
}

/** The configured key, or a non-retryable SourceError when there is none. */
export function requireKey(sourceName: string, context: SourceContext): string {
  const key = context.key?.trim();
  if (!key) throw new SourceError(`${sourceName}: no API key configured`, undefined, false);
  return key;
}

/** The trimmed query, or a non-retryable SourceError when it is empty. */
export function requireQuery(sourceName: string, request: SearchRequest): string {
  const query = request.query.trim();
  if (!query) throw new SourceError(`${sourceName}: a search query is required`, undefined, false);
  return query;
}

function formatPath(path: readonly PropertyKey[]) {
  return path.map((part, i) => (typeof part === "number" ? `[${part}]` : `${i === 0 ? "" : "."}${String(part)}`)).join("");
}

/** Parses an API payload; a mismatch becomes "<Source>: malformed response (missing query.pages)". */
export function parseResponse<T extends z.ZodType>(sourceName: string, schema: T, data: unknown): z.output<T> {
  const parsed = schema.safeParse(data, { reportInput: true });
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const where = formatPath(issue.path) || "body";
  const detail = issue.code === "invalid_type" && issue.input === undefined ? `missing ${where}` : `${where}: ${issue.message}`;
  return malformed(sourceName, detail);
}

export function malformed(sourceName: string, detail: string): never {
  throw new SourceError(`${sourceName}: malformed response (${detail})`, undefined, false);
}
