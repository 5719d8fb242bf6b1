import { sleep } from "@/lib/concurrency";
import { HttpError, type HttpClient } from "@/lib/net/http-client";
import type { Politeness } from "./types";

/**
 * Spaces request starts by 1/rps, caps requests in flight, and honours a source's
 * "wait until" after a 429/503 with Retry-After. One gate per source, shared by every job
 * in this process, so two jobs hitting the same API share its limit.
 */
export class RequestGate {
  private nextStart = 0;
  private lastStart = Number.NEGATIVE_INFINITY;
  private inFlight = 0;
  private readonly waiting: Array<() => void> = [];
  private pausedUntil = 0;

  constructor(
    readonly politeness: Politeness,
    private readonly now: () => number = Date.now,
  ) {}

  /** The time requests may resume after a rate limit, or null when not paused. */
  get rateLimitedUntil(): number | null {
    return this.pausedUntil > this.now() ? this.pausedUntil : null;
  }

  pauseUntil(time: number) {
    this.pausedUntil = Math.max(this.pausedUntil, time);
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    while (this.inFlight >= this.politeness.concurrency) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.inFlight++;
    try {
      const interval = 1000 / this.politeness.requestsPerSecond;
      const now = this.now();
      const start = Math.max(now, this.nextStart, this.pausedUntil);
      this.nextStart = start + interval;
      if (start > now) await sleep(start - now);
      // The slot was reserved ahead; if the request before woke up late, this one waits on from its real start.
      for (let wait = this.lastStart + interval - this.now(); wait > 0; wait = this.lastStart + interval - this.now()) await sleep(wait);
      this.lastStart = this.now();
      this.nextStart = Math.max(this.nextStart, this.lastStart + interval);
      return await task();
    } finally {
      this.inFlight--;
      this.waiting.shift()?.();
    }
  }
}

const gates = new Map<string, RequestGate>();

export function gateFor(sourceId: string, politeness: Politeness) {
  let gate = gates.get(sourceId);
  if (!gate) {
    gate = new RequestGate(politeness);
    gates.set(sourceId, gate);
  }
  return gate;
}

/** An HttpClient whose every request passes the gate; rate-limit answers pause the gate. */
export function politeHttpClient(http: HttpClient, gate: RequestGate): HttpClient {
  async function guarded<T>(request: () => Promise<T>) {
    try {
      return await gate.run(request);
    } catch (error) {
      if (error instanceof HttpError && (error.status === 429 || error.status === 503) && error.retryAfterMs !== undefined) {
        gate.pauseUntil(Date.now() + error.retryAfterMs);
      }
      throw error;
    }
  }
  return {
    getJson: (url, init) => guarded(() => http.getJson(url, init)),
    getText: (url, init) => guarded(() => http.getText(url, init)),
  };
}
