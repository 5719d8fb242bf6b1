import { BlockedUrlError, HttpError } from "@/lib/net/http-client";
import { MediaRejectedError } from "@/lib/net/fetch-errors";

// Which download failures another attempt might fix. Refusals (blocked target, rejected
// media) and client errors are final; 408 and 429 are the server asking to try later.

export function isRetryable(error: unknown): boolean {
  if (error instanceof MediaRejectedError || error instanceof BlockedUrlError) return false;
  if (error instanceof HttpError && error.status !== undefined) {
    return !(error.status >= 400 && error.status < 500 && error.status !== 408 && error.status !== 429);
  }
  return true;
}
