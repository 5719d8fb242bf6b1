import { AppRequestError, requestApp, type AppResponse } from "./app-request";
import {
  OP,
  engineError,
  opsResponseSchema,
  toSerializedError,
  type EngineEvent,
  type ExecutionRequestBody,
  type MemoizedStep,
  type Op,
  type SerializedError,
} from "./protocol";
import type { RegisteredFunction } from "./registry";
import { backoffMs, delay, retryAfterMs, sleepDurationMs } from "./timing";

// Drives one run through the SDK's HTTP protocol: discovery requests (stepId=step) until the
// function returns, executing planned steps (in parallel), retrying, sleeping. Run state lives
// in the run object; the executor owns run bookkeeping (queueing, cancel, logging outcomes).

export type EngineLog = (level: "info" | "warn" | "error", message: string) => void;

/** Why a run stopped early; stored as the reason of the run's halt controller. */
export type HaltReason =
  | { kind: "cancelled"; reason: string }
  | { kind: "stopped" }
  /** A parallel branch failed the run; the other branches stop at their next request. */
  | { kind: "failed"; error: SerializedError };

export interface DriverRun {
  readonly id: string;
  readonly fn: RegisteredFunction;
  readonly event: EngineEvent;
  /** Memoized step results by hashed step id, sent back on every request. */
  readonly steps: Record<string, MemoizedStep>;
  /** Hashed step ids in completion order: the SDK replays memoized steps in this order. */
  readonly stack: string[];
  /** The run's state as Inngest counts it against its limit: the event and every step result, as JSON. */
  stateBytes: number;
  /** Its limits (RUN_LIMITS unless the engine was given others); a step that takes the run past one fails it. */
  readonly limits: RunLimits;
  overLimit?: string;
  /** Set once parallel steps appear: from then on the SDK plans every step instead of running it inline. */
  disableImmediateExecution: boolean;
  readonly halt: AbortController;
}

export type RunOutcome =
  | { kind: "completed"; output: unknown }
  | { kind: "failed"; error: SerializedError }
  | { kind: "halted"; reason: Exclude<HaltReason, { kind: "failed" }> };

/** What the engine measured of the app's answers: the longest request is a step's wall time on a serverless platform. */
export interface RequestStats {
  longestRequestMs: number;
  longestRequest: string | null;
}

export interface DriverContext {
  stats: RequestStats;
  requestTimeoutMs: number;
  signingKey?: string;
  stopSignal: AbortSignal;
  log: EngineLog;
}

type Answer =
  | { kind: "ops"; ops: Op[]; noRetry: boolean; retryAfter: string | null }
  | { kind: "completed"; output: unknown }
  | { kind: "retriable"; error: SerializedError; retryAfter: string | null }
  | { kind: "final"; error: SerializedError }
  | { kind: "halted" };

const SUPPORTED_OPS = new Set<string>(Object.values(OP));

function haltReason(run: DriverRun): HaltReason {
  // Only the engine aborts run.halt, always with a HaltReason; a request aborted by the
  // engine's stop can be noticed a moment before the run's own halt.
  return run.halt.signal.aborted ? (run.halt.signal.reason as HaltReason) : { kind: "stopped" };
}

function haltedOutcome(run: DriverRun): RunOutcome {
  const reason = haltReason(run);
  return reason.kind === "failed" ? { kind: "failed", error: reason.error } : { kind: "halted", reason };
}

function runLabel(run: DriverRun) {
  return `run ${run.id} (${run.fn.id})`;
}

function stepLabel(op: Op) {
  return `step "${op.displayName ?? op.name ?? op.id}"`;
}

/**
 * Inngest's limits on one function run (its "Usage limits" page): 1,000 steps, 4 MB of data
 * per step result, 32 MB of run state. The engine fails a run that passes them, as Inngest
 * does, so a design that would fail on Inngest fails here too.
 */
export const RUN_LIMITS = { steps: 1_000, stepBytes: 4 * 1024 * 1024, stateBytes: 32 * 1024 * 1024 };
export type RunLimits = typeof RUN_LIMITS;

export const jsonBytes = (value: unknown) => Buffer.byteLength(JSON.stringify(value) ?? "");

function memoize(run: DriverRun, stepId: string, result: MemoizedStep) {
  if (Object.hasOwn(run.steps, stepId)) return;
  run.steps[stepId] = result;
  run.stack.push(stepId);
  const bytes = jsonBytes(result);
  run.stateBytes += bytes;
  const megabytes = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;
  const { limits } = run;
  if (bytes > limits.stepBytes)
    run.overLimit ??= `a step returned ${megabytes(bytes)}, more than the ${megabytes(limits.stepBytes)} a step may`;
  else if (run.stack.length > limits.steps) run.overLimit ??= `it has more than ${limits.steps} steps`;
  else if (run.stateBytes > limits.stateBytes)
    run.overLimit ??= `its state is ${megabytes(run.stateBytes)}, more than ${megabytes(limits.stateBytes)}`;
}

function requestBody(run: DriverRun, attempt: number): ExecutionRequestBody {
  return {
    version: 2,
    event: run.event,
    events: [run.event],
    steps: run.steps,
    ctx: {
      run_id: run.id,
      attempt,
      max_attempts: run.fn.maxAttempts,
      disable_immediate_execution: run.disableImmediateExecution,
      use_api: false,
      stack: { stack: [...run.stack], current: run.stack.length - 1 },
    },
  };
}

function classify(response: AppResponse): Answer {
  const { status, body } = response;
  if (status === 206) {
    const ops = opsResponseSchema.safeParse(body);
    if (!ops.success) {
      return { kind: "final", error: engineError(`the app answered 206 with an unreadable op list: ${ops.error.message}`) };
    }
    return { kind: "ops", ops: ops.data, noRetry: response.noRetry, retryAfter: response.retryAfter };
  }
  if (status === 200) return { kind: "completed", output: body === "" ? null : body };
  const error = toSerializedError(body, `the app answered HTTP ${status}`);
  if (status >= 500 && !response.noRetry) return { kind: "retriable", error, retryAfter: response.retryAfter };
  if (status >= 400) return { kind: "final", error };
  return { kind: "final", error: engineError(`the app answered with unexpected HTTP status ${status}`) };
}

/** How long a request keeps looking for a process of the app that answers at all (a job worker restarting) before it counts as a failed attempt. */
const UNREACHABLE_WAIT_MS = 60_000;

/** Requests go to the app's processes in turn; one that cannot be reached is passed over. */
let rotation = 0;

/**
 * One request to the serve route. `stepId` is "step" for discovery, else a hashed step id. A
 * process that refuses or drops the connection is passed over for the next one; when none
 * answers, the request waits with backoff (without using up an attempt) for up to a minute.
 */
async function send(run: DriverRun, ctx: DriverContext, stepId: string, attempt: number, what: string): Promise<Answer> {
  const deadline = Date.now() + UNREACHABLE_WAIT_MS;
  let response: AppResponse | undefined;
  for (let round = 0; !response; round++) {
    if (run.halt.signal.aborted) return { kind: "halted" };
    const urls = run.fn.urls;
    const first = rotation++;
    let unreachable: AppRequestError | undefined;
    for (let i = 0; i < urls.length && !response; i++) {
      const url = new URL(urls[(first + i) % urls.length]);
      url.searchParams.set("stepId", stepId);
      const started = performance.now();
      try {
        response = await requestApp("POST", url.href, requestBody(run, attempt), {
          timeoutMs: ctx.requestTimeoutMs,
          stopSignal: ctx.stopSignal,
          signingKey: ctx.signingKey,
        });
        const tookMs = Math.round(performance.now() - started);
        if (tookMs > ctx.stats.longestRequestMs)
          Object.assign(ctx.stats, { longestRequestMs: tookMs, longestRequest: `${runLabel(run)}: ${what}` });
      } catch (error) {
        if (!(error instanceof AppRequestError)) throw error;
        if (error.reason === "stopped" || run.halt.signal.aborted) return { kind: "halted" };
        if (error.reason === "timeout") return { kind: "retriable", error: engineError(error.message), retryAfter: null };
        unreachable = error;
      }
    }
    if (response) break;
    const waitMs = backoffMs(round);
    if (!unreachable || Date.now() + waitMs > deadline) {
      return { kind: "retriable", error: engineError(unreachable?.message ?? "no app process to send to"), retryAfter: null };
    }
    if (round === 0) ctx.log("warn", `${runLabel(run)}: no process of the app answers for ${what} (${unreachable.message}); waiting`);
    if (!(await delay(waitMs, run.halt.signal))) return { kind: "halted" };
  }
  if (run.halt.signal.aborted) {
    const reason = haltReason(run);
    const why =
      reason.kind === "cancelled"
        ? "the run was cancelled"
        : reason.kind === "stopped"
          ? "the engine is stopping"
          : "another step failed the run";
    ctx.log("info", `${runLabel(run)} dropped the result of ${what} (HTTP ${response.status}): ${why}`);
    return { kind: "halted" };
  }
  return classify(response);
}

/** Waits before the next attempt; false when the run was halted meanwhile. */
async function waitToRetry(
  run: DriverRun,
  ctx: DriverContext,
  what: string,
  attempt: number,
  error: SerializedError,
  retryAfter: string | null,
) {
  const waitMs = retryAfterMs(retryAfter) ?? backoffMs(attempt);
  ctx.log(
    "warn",
    `${runLabel(run)}: ${what} failed on attempt ${attempt + 1}/${run.fn.maxAttempts}: ${error.message}; retrying in ${waitMs} ms`,
  );
  return delay(waitMs, run.halt.signal);
}

/**
 * How an answer other than ops ends the run or step: its outcome, or "retry" once the wait
 * before the next attempt is over (a halt during the wait ends it as halted).
 */
async function endingOf(
  run: DriverRun,
  ctx: DriverContext,
  answer: Exclude<Answer, { kind: "ops" }>,
  attempt: number,
  what: string,
): Promise<RunOutcome | "retry"> {
  switch (answer.kind) {
    case "halted":
      return haltedOutcome(run);
    case "completed":
      return answer;
    case "final":
      return { kind: "failed", error: answer.error };
    case "retriable":
      if (attempt + 1 >= run.fn.maxAttempts) return { kind: "failed", error: answer.error };
      return (await waitToRetry(run, ctx, what, attempt, answer.error, answer.retryAfter)) ? "retry" : haltedOutcome(run);
  }
}

/**
 * Executes one planned step (or continues retrying a step whose inline execution already
 * failed, given as `first`) until it has a memoized result. Returns an outcome only when the
 * whole run ends.
 */
async function runStep(
  run: DriverRun,
  ctx: DriverContext,
  op: Op,
  first?: { attempt: number; answer: Answer },
): Promise<RunOutcome | undefined> {
  const what = stepLabel(op);
  let attempt = first?.attempt ?? 0;
  let answer = first?.answer ?? (await send(run, ctx, op.id, attempt, what));
  for (;;) {
    if (answer.kind !== "ops") {
      const ending = await endingOf(run, ctx, answer, attempt, what);
      if (ending !== "retry") return ending;
    } else {
      const result = answer.ops.length === 1 ? answer.ops[0] : undefined;
      if (!result || result.id !== op.id) {
        const got = answer.ops.map((o) => `${o.op} ${stepLabel(o)}`).join(", ");
        return { kind: "failed", error: engineError(`asked the app to run ${what} but it answered with: ${got}`) };
      }
      if (result.op === OP.StepRun || result.op === OP.Step) {
        memoize(run, op.id, { data: result.data ?? null });
        return undefined;
      }
      const error = toSerializedError(result.error, `${what} failed`);
      if (result.op === OP.StepError && !answer.noRetry && attempt + 1 < run.fn.maxAttempts) {
        if (!(await waitToRetry(run, ctx, what, attempt, error, answer.retryAfter))) return haltedOutcome(run);
      } else if (result.op === OP.StepError || result.op === OP.StepFailed) {
        // The error is memoized: the SDK throws it inside the function, which may catch it.
        ctx.log("warn", `${runLabel(run)}: ${what} failed permanently on attempt ${attempt + 1}/${run.fn.maxAttempts}: ${error.message}`);
        memoize(run, op.id, { error });
        return undefined;
      } else {
        return { kind: "failed", error: engineError(`asked the app to run ${what} but it answered with op ${result.op}`) };
      }
    }
    attempt += 1;
    answer = await send(run, ctx, op.id, attempt, what);
  }
}

async function sleepStep(run: DriverRun, ctx: DriverContext, op: Op): Promise<RunOutcome | undefined> {
  let ms: number;
  try {
    ms = sleepDurationMs(op.name ?? "");
  } catch (error) {
    return { kind: "failed", error: engineError(`${stepLabel(op)}: ${error instanceof Error ? error.message : String(error)}`) };
  }
  ctx.log("info", `${runLabel(run)} sleeps ${ms} ms at ${stepLabel(op)}`);
  if (!(await delay(ms, run.halt.signal))) return haltedOutcome(run);
  memoize(run, op.id, { data: null });
  return undefined;
}

/** Acts on the ops of a discovery answer; returns an outcome only when the run ends. */
async function handleOps(
  run: DriverRun,
  ctx: DriverContext,
  answer: Extract<Answer, { kind: "ops" }>,
  attempt: number,
): Promise<RunOutcome | undefined> {
  const { ops } = answer;
  const unsupported = ops.find((op) => !SUPPORTED_OPS.has(op.op));
  if (unsupported) {
    return {
      kind: "failed",
      error: engineError(`op ${unsupported.op} (${stepLabel(unsupported)}) is not supported by Trawl's offline engine`),
    };
  }
  const complete = ops.find((op) => op.op === OP.RunComplete);
  if (complete) return { kind: "completed", output: complete.data ?? null };

  const progressBefore = run.stack.length;
  if (ops.filter((op) => op.op === OP.StepPlanned).length > 1) run.disableImmediateExecution = true;
  const branches: Array<Promise<RunOutcome | undefined>> = [];
  for (const op of ops) {
    switch (op.op) {
      case OP.StepRun:
      case OP.Step:
        memoize(run, op.id, { data: op.data ?? null });
        break;
      case OP.StepError:
      case OP.StepFailed:
        // The step ran inline in this discovery request and failed; continue it as a step.
        branches.push(runStep(run, ctx, op, { attempt, answer: { ...answer, ops: [op] } }));
        break;
      case OP.StepPlanned:
        branches.push(runStep(run, ctx, op));
        break;
      case OP.Sleep:
        branches.push(sleepStep(run, ctx, op));
        break;
    }
  }
  const ended = await settleBranches(run, branches);
  if (ended) return ended;
  if (run.stack.length === progressBefore) {
    const got = ops.map((op) => `${op.op} ${stepLabel(op)}`).join(", ");
    return {
      kind: "failed",
      error: engineError(`the app's answer (${got}) produced no new step result; stopping the run instead of looping`),
    };
  }
  return undefined;
}

/** Waits for all parallel branches; the first branch that ends the run halts the others. */
async function settleBranches(run: DriverRun, branches: Array<Promise<RunOutcome | undefined>>) {
  let ended: RunOutcome | undefined;
  const settled = await Promise.allSettled(
    branches.map(async (branch) => {
      const outcome = await branch;
      if (outcome && outcome.kind !== "halted" && !ended) {
        ended = outcome;
        if (!run.halt.signal.aborted && outcome.kind === "failed") {
          run.halt.abort({ kind: "failed", error: outcome.error } satisfies HaltReason);
        }
      }
      return outcome;
    }),
  );
  const crashed = settled.find((result) => result.status === "rejected");
  if (crashed) throw crashed.reason;
  if (ended) return ended;
  if (run.halt.signal.aborted) return haltedOutcome(run);
  return undefined;
}

/** Runs the function to its end. Throws only on a bug in the engine itself. */
export async function driveRun(run: DriverRun, ctx: DriverContext): Promise<RunOutcome> {
  let attempt = 0;
  for (;;) {
    if (run.overLimit)
      return { kind: "failed", error: engineError(`${runLabel(run)} exceeds a limit of a function run: ${run.overLimit}`) };
    const answer = await send(run, ctx, "step", attempt, "the function");
    if (answer.kind !== "ops") {
      const ending = await endingOf(run, ctx, answer, attempt, "the function");
      if (ending !== "retry") return ending;
      attempt += 1;
    } else {
      const ended = await handleOps(run, ctx, answer, attempt);
      if (ended) return ended;
      // Progress was made: like Inngest, the next request starts a fresh attempt count.
      attempt = 0;
    }
  }
}
