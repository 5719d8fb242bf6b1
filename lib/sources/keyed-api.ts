import { HttpError, type HttpClient } from "@/lib/download/http";
import { toSourceError } from "@/lib/sources/source-http";
import { SourceError, type SourceContext } from "@/lib/sources/types";

// Shared by the adapters of key-gated APIs: the key check before a search, and a JSON fetch
// that reports a refused key as such rather than as a bare HTTP status.

/** The configured key, or a non-retryable SourceError when there is none. */
export function requireKey(sourceName: string, context: SourceContext): string {
  const key = context.key?.trim();
  if (!key) throw new SourceError(`${sourceName}: no API key configured`, undefined, false);
  return key;
}

/**
 * GET JSON with optional headers; the statuses an API answers a bad key with (401 and 403
 * unless told otherwise) become "<Source>: API key rejected (401)".
 */
export async function fetchKeyedJson(
  sourceName: string,
  http: HttpClient,
  url: string,
  options: { headers?: Record<string, string>; keyStatuses?: readonly number[] } = {},
): Promise<unknown> {
  const keyStatuses = options.keyStatuses ?? [401, 403];
  try {
    return await http.getJson(url, options.headers ? { headers: options.headers } : undefined);
  } catch (error) {
    if (error instanceof HttpError && error.status !== undefined && keyStatuses.includes(error.status)) {
      throw new SourceError(`${sourceName}: API key rejected (${error.status})`, error.status, false);
    }
    throw toSourceError(sourceName, error);
  }
}
