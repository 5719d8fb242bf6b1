import { z } from "zod";

// The Inngest SDK's wire format (inngest 4.24.0), limited to what the offline engine reads.
// Sources: inngest/types.js (functionConfigSchema, StepOpCode), components/InngestCommHandler.js.

// ---- registration: the SDK POSTs this to {baseUrl}/fn/register after a PUT on its serve route

const stepRuntimeSchema = z.object({
  id: z.string(),
  name: z.string(),
  runtime: z.object({ type: z.string(), url: z.url() }),
  retries: z.object({ attempts: z.number().int().min(0).optional() }).optional(),
});

const concurrencyOptionSchema = z.object({
  limit: z.number().int(),
  key: z.string().optional(),
  scope: z.enum(["fn", "env", "account"]).optional(),
});

const triggerSchema = z.union([
  z.strictObject({ event: z.string().min(1), expression: z.string().optional() }),
  z.strictObject({ cron: z.string(), jitter: z.string().optional() }),
]);

/**
 * Strict on purpose: every key the SDK can send is listed, so a feature this engine does not
 * implement is rejected by name at registration instead of being silently ignored.
 */
export const functionConfigSchema = z.strictObject({
  id: z.string().min(1),
  name: z.string().optional(),
  triggers: z.array(triggerSchema),
  steps: z.record(z.string(), stepRuntimeSchema),
  cancel: z.array(z.strictObject({ event: z.string().min(1), if: z.string().optional(), timeout: z.string().optional() })).optional(),
  concurrency: z.union([z.number().int(), concurrencyOptionSchema, z.array(concurrencyOptionSchema)]).optional(),
  idempotency: z.unknown().optional(),
  batchEvents: z.unknown().optional(),
  rateLimit: z.unknown().optional(),
  throttle: z.unknown().optional(),
  singleton: z.unknown().optional(),
  debounce: z.unknown().optional(),
  timeouts: z.unknown().optional(),
  priority: z.unknown().optional(),
});
export type FunctionConfig = z.infer<typeof functionConfigSchema>;
export type ConcurrencyConfig = NonNullable<FunctionConfig["concurrency"]>;

export const registerRequestSchema = z.looseObject({
  url: z.string(),
  appName: z.string().min(1),
  functions: z.array(z.unknown()),
  sdk: z.string().optional(),
});

// ---- events: what `inngest.send()` POSTs to {baseUrl}/e/<event key>

export const incomingEventSchema = z.looseObject({
  name: z.string().min(1),
  data: z.record(z.string(), z.unknown()).optional(),
  id: z.string().optional(),
  ts: z.number().optional(),
  user: z.unknown().optional(),
  v: z.string().optional(),
});
export type IncomingEvent = z.infer<typeof incomingEventSchema>;

export interface EngineEvent {
  id: string;
  name: string;
  data: Record<string, unknown>;
  ts: number;
  [key: string]: unknown;
}

// ---- execution: the engine POSTs a request body, the SDK answers 200, 206 + ops, 4xx or 5xx

export type MemoizedStep = { data: unknown } | { error: SerializedError };

export interface ExecutionRequestBody {
  version: 2;
  event: EngineEvent;
  events: EngineEvent[];
  steps: Record<string, MemoizedStep>;
  ctx: {
    run_id: string;
    attempt: number;
    max_attempts: number;
    disable_immediate_execution: boolean;
    use_api: false;
    stack: { stack: string[]; current: number };
    // ctx.fn_id is deliberately absent: sending it switches the SDK to checkpointing mode,
    // which needs the /v1/checkpoint API this engine does not implement.
  };
}

/** Step op codes (StepOpCode in inngest/types.js). */
export const OP = {
  StepRun: "StepRun",
  Step: "Step",
  StepError: "StepError",
  StepFailed: "StepFailed",
  StepPlanned: "StepPlanned",
  Sleep: "Sleep",
  RunComplete: "RunComplete",
} as const;

export const opSchema = z.looseObject({
  id: z.string().min(1),
  op: z.string().min(1),
  name: z.string().optional(),
  displayName: z.string().optional(),
  data: z.unknown().optional(),
  error: z.unknown().optional(),
  opts: z.unknown().optional(),
});
export type Op = z.infer<typeof opSchema>;
/** A 206 answer is an op array; a forced execution answers a single RunComplete op. */
export const opsResponseSchema = z.union([z.array(opSchema).min(1), opSchema.transform((op) => [op])]);

// ---- errors, as the SDK serialises them (serializeError in helpers/errors.js)

export interface SerializedError {
  name: string;
  message: string;
  stack?: string;
  [key: string]: unknown;
}

const errorLikeSchema = z.looseObject({
  name: z.string().optional(),
  message: z.string().optional(),
  error: z.string().optional(),
  stack: z.string().optional(),
});

/** Normalises whatever the app sent as an error; `fallback` explains where it came from. */
export function toSerializedError(value: unknown, fallback: string): SerializedError {
  const parsed = errorLikeSchema.safeParse(value);
  if (parsed.success) {
    const message = parsed.data.message || parsed.data.error;
    if (message) return { ...parsed.data, name: parsed.data.name || "Error", message };
  }
  const detail = typeof value === "string" ? value : value === undefined ? "" : JSON.stringify(value);
  return { name: "Error", message: detail ? `${fallback}: ${detail.slice(0, 500)}` : fallback };
}

export function engineError(message: string): SerializedError {
  return { name: "TrawlEngineError", message };
}
