import { RetryAfterError } from "inngest";
import { RateLimitedError } from "@/lib/jobs/run";

/** Turns a source's "wait until" into the engine's retry-after, so the retry waits as asked. */
export async function honourRateLimits<T>(body: () => Promise<T>): Promise<T> {
  try {
    return await body();
  } catch (error) {
    if (error instanceof RateLimitedError) throw new RetryAfterError(error.message, error.retryAfterMs, { cause: error });
    throw error;
  }
}
