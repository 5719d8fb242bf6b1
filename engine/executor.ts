import { randomUUID } from "node:crypto";
import { ConcurrencyLimiter, concurrencySlots, type ConcurrencySlot } from "./concurrency";
import { engineError, type EngineEvent, type SerializedError } from "./protocol";
import type { FunctionRegistry, RegisteredFunction } from "./registry";
import {
  driveRun,
  jsonBytes,
  type DriverRun,
  type RunLimits,
  type EngineLog,
  type HaltReason,
  type RequestStats,
  type RunOutcome,
} from "./run-driver";

// Run bookkeeping: which events start or cancel runs, the concurrency queue, outcomes and
// their logging, and the inngest/function.failed event that starts onFailure handlers.

export const FUNCTION_FAILED_EVENT = "inngest/function.failed";

export type RunStatus = "queued" | "running" | "cancelling";

export interface RunSummary {
  runId: string;
  functionId: string;
  event: { name: string; data: unknown };
  status: RunStatus;
  /** When the run was created by its event (it may have waited in the queue since). */
  startedAt: number;
}

interface Run extends DriverRun {
  status: RunStatus;
  readonly createdAt: number;
  readonly slots: ConcurrencySlot[];
  finished?: Promise<void>;
}

export interface ExecutorOptions {
  registry: FunctionRegistry;
  log: EngineLog;
  requestTimeoutMs: number;
  limits: RunLimits;
  runIdPrefix: string;
  /** Inngest's signing key: requests to the app are signed and only signed answers are taken, as on Inngest Cloud. */
  signingKey?: string;
}

export class Executor {
  private readonly runs = new Map<string, Run>();
  private readonly limiter = new ConcurrencyLimiter();
  private readonly stopController = new AbortController();

  readonly stats: RequestStats = { longestRequestMs: 0, longestRequest: null };

  constructor(private readonly options: ExecutorOptions) {}

  /** Applies one event: cancels the runs it matches, then starts the functions it triggers. */
  ingest(event: EngineEvent): void {
    if (this.stopController.signal.aborted) throw new Error(`Trawl's offline engine is stopped; event ${event.name} was not processed`);
    for (const run of [...this.runs.values()]) this.cancelIfMatched(run, event);
    for (const fn of this.options.registry.triggeredBy(event)) this.createRun(fn, event);
  }

  activeRuns(): RunSummary[] {
    return [...this.runs.values()].map((run) => ({
      runId: run.id,
      functionId: run.fn.id,
      event: { name: run.event.name, data: run.event.data },
      status: run.status,
      startedAt: run.createdAt,
    }));
  }

  /** Abandons every run (the app recovers them from its database) and waits for their drivers. */
  async stop(): Promise<void> {
    if (this.stopController.signal.aborted) return;
    const stopped: HaltReason = { kind: "stopped" };
    this.stopController.abort(stopped);
    const running: Array<Promise<void>> = [];
    for (const run of [...this.runs.values()]) {
      if (run.status === "queued") {
        this.runs.delete(run.id);
        this.options.log("warn", `run ${run.id} (${run.fn.id}) abandoned before it started: the engine stopped`);
        continue;
      }
      if (!run.halt.signal.aborted) run.halt.abort(stopped);
      if (run.finished) running.push(run.finished);
    }
    await Promise.all(running);
  }

  private cancelIfMatched(run: Run, event: EngineEvent) {
    if (run.status === "cancelling") return;
    const rule = run.fn.cancel.find(
      (candidate) =>
        candidate.event === event.name &&
        (candidate.timeoutMs === undefined || Date.now() - run.createdAt <= candidate.timeoutMs) &&
        (!candidate.condition || candidate.condition.evaluate({ event: run.event, async: event })),
    );
    if (!rule) return;
    const reason = `event ${event.name} (${event.id}) matched cancelOn${rule.condition ? ` "${rule.condition.source}"` : ""}`;
    if (run.status === "queued") {
      this.runs.delete(run.id);
      this.options.log("info", `run ${run.id} (${run.fn.id}) cancelled before it started: ${reason}`);
      return;
    }
    run.status = "cancelling";
    run.halt.abort({ kind: "cancelled", reason } satisfies HaltReason);
    this.options.log("info", `run ${run.id} (${run.fn.id}) cancelling: ${reason}`);
  }

  private createRun(fn: RegisteredFunction, event: EngineEvent) {
    const run: Run = {
      id: `${this.options.runIdPrefix}${randomUUID()}`,
      fn,
      event,
      steps: {},
      stack: [],
      stateBytes: jsonBytes(event),
      limits: this.options.limits,
      disableImmediateExecution: false,
      halt: new AbortController(),
      status: "queued",
      createdAt: Date.now(),
      slots: concurrencySlots(fn.concurrency, event),
    };
    this.runs.set(run.id, run);
    const blocking = this.limiter.blockingSlot(run.slots);
    if (blocking) {
      this.options.log(
        "info",
        `run ${run.id} (${fn.id}) queued for event ${event.name} (${event.id}): concurrency ${blocking.description} is full`,
      );
      return;
    }
    this.start(run);
  }

  /** Starts queued runs, oldest first, whose concurrency slots now have room. */
  private startQueued() {
    for (const run of this.runs.values()) {
      if (run.status === "queued" && !this.limiter.blockingSlot(run.slots)) this.start(run);
    }
  }

  private start(run: Run) {
    this.limiter.acquire(run.slots);
    run.status = "running";
    this.options.log("info", `run ${run.id} (${run.fn.id}) started by event ${run.event.name} (${run.event.id})`);
    const context = {
      stats: this.stats,
      requestTimeoutMs: this.options.requestTimeoutMs,
      signingKey: this.options.signingKey,
      stopSignal: this.stopController.signal,
      log: this.options.log,
    };
    run.finished = driveRun(run, context)
      .catch((error: unknown): RunOutcome => {
        const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
        return { kind: "failed", error: engineError(`internal error in Trawl's offline engine: ${message}`) };
      })
      .then((outcome) => this.finish(run, outcome))
      .catch((error: unknown) => {
        const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
        this.options.log("error", `internal error in Trawl's offline engine while finishing run ${run.id} (${run.fn.id}): ${message}`);
      });
  }

  private finish(run: Run, outcome: RunOutcome) {
    this.runs.delete(run.id);
    this.limiter.release(run.slots);
    const label = `run ${run.id} (${run.fn.id})`;
    const seconds = ((Date.now() - run.createdAt) / 1000).toFixed(1);
    switch (outcome.kind) {
      case "completed":
        this.options.log("info", `${label} completed in ${seconds} s`);
        break;
      case "failed":
        this.options.log("error", `${label} failed after ${seconds} s: ${outcome.error.name}: ${outcome.error.message}`);
        this.emitFunctionFailed(run, outcome.error);
        break;
      case "halted":
        if (outcome.reason.kind === "cancelled") this.options.log("info", `${label} cancelled: ${outcome.reason.reason}`);
        else this.options.log("warn", `${label} abandoned: the engine stopped (the app recovers it from its database)`);
        break;
    }
    if (!this.stopController.signal.aborted) this.startQueued();
  }

  private emitFunctionFailed(run: Run, error: SerializedError) {
    if (this.stopController.signal.aborted) return;
    const event: EngineEvent = {
      id: randomUUID(),
      name: FUNCTION_FAILED_EVENT,
      ts: Date.now(),
      data: { function_id: run.fn.id, run_id: run.id, error, event: run.event },
    };
    this.ingest(event);
  }
}
