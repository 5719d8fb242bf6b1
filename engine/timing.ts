// Durations, retry delays and abortable waits.

const UNIT_MS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };
const DURATION = /^(?:\d+(?:\.\d+)?(?:ms|s|m|h|d|w))+$/;
const DURATION_PART = /(\d+(?:\.\d+)?)(ms|s|m|h|d|w)/g;

/** Parses the SDK's time strings ("30s", "1h30m", "2d") into milliseconds. */
export function parseDurationMs(text: string): number {
  const trimmed = text.trim();
  if (!DURATION.test(trimmed)) {
    throw new Error(`Invalid duration ${JSON.stringify(text)}: expected a time string such as "30s", "5m" or "1h30m"`);
  }
  let total = 0;
  for (const [, amount, unit] of trimmed.matchAll(DURATION_PART)) total += Number(amount) * UNIT_MS[unit];
  return total;
}

/** A Sleep op names either a duration ("1h") or, for sleepUntil, an ISO timestamp. */
export function sleepDurationMs(name: string, now = Date.now()): number {
  if (/^\d{4}-\d{2}-\d{2}T/.test(name)) {
    const until = Date.parse(name);
    if (Number.isNaN(until)) throw new Error(`Invalid sleep target ${JSON.stringify(name)}: not a valid ISO date`);
    return Math.max(0, until - now);
  }
  return parseDurationMs(name);
}

/** Retry-After as the SDK sends it: whole seconds, or a date (RetryAfterError with a Date). */
export function retryAfterMs(header: string | null, now = Date.now()): number | undefined {
  if (!header) return undefined;
  const trimmed = header.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

export const RETRY_BASE_MS = 100;
export const RETRY_MAX_MS = 5_000;

/** Exponential backoff for the retry after attempt `attempt` (0-based): 100 ms × 2^n, capped at 5 s. */
export function backoffMs(attempt: number): number {
  return Math.min(RETRY_BASE_MS * 2 ** attempt, RETRY_MAX_MS);
}

// setTimeout overflows above 2^31-1 ms (~24.8 days); longer waits are chained.
const MAX_TIMER_MS = 2 ** 31 - 1;

/** Waits `ms`; resolves true when the time passed, false as soon as `signal` aborts. */
export function delay(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const deadline = Date.now() + ms;
    let timer: ReturnType<typeof setTimeout>;
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    const arm = () => {
      const remaining = deadline - Date.now();
      if (remaining <= 0) {
        signal.removeEventListener("abort", onAbort);
        resolve(true);
        return;
      }
      timer = setTimeout(arm, Math.min(remaining, MAX_TIMER_MS));
    };
    signal.addEventListener("abort", onAbort, { once: true });
    arm();
  });
}
