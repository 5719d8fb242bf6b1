import { functionConfigSchema, registerRequestSchema, type ConcurrencyConfig, type EngineEvent, type FunctionConfig } from "./protocol";
import { compileExpression, compileKeyExpression, type CompiledExpression } from "./expressions";
import { parseDurationMs } from "./timing";
import { parseCron, SCHEDULED_EVENT } from "./cron";

// Function configs as the SDK registers them, checked and compiled once at registration.

/** Inngest's default when a function sets no `retries`. */
export const DEFAULT_RETRIES = 3;

const UNSUPPORTED_FEATURES = [
  "idempotency",
  "batchEvents",
  "rateLimit",
  "throttle",
  "singleton",
  "debounce",
  "timeouts",
  "priority",
] as const;

export interface CancelRule {
  event: string;
  condition?: CompiledExpression;
  timeoutMs?: number;
}

export interface ConcurrencyRule {
  limit: number;
  /** Runs with equal scope + key value share the limit. */
  scope: string;
  keyOf?: (event: EngineEvent) => unknown;
  description: string;
}

export interface RegisteredFunction {
  id: string;
  name: string;
  appName: string;
  /** The serve route URLs including ?fnId=…&stepId=step: one per app process that registered it (job workers), tried in turn. */
  urls: string[];
  maxAttempts: number;
  /** Event triggers; a cron trigger is the scheduled-timer event of its expression (engine/cron.ts). */
  triggers: Array<{ event: string; condition?: CompiledExpression; cron?: string }>;
  cancel: CancelRule[];
  concurrency: ConcurrencyRule[];
}

export class RegistrationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "RegistrationError";
  }
}

function fail(functionId: string, reason: string): never {
  throw new RegistrationError(`Function "${functionId}" cannot run on Trawl's offline engine: ${reason}`);
}

function wrapExpressionError<T>(functionId: string, what: string, compile: () => T): T {
  try {
    return compile();
  } catch (error) {
    fail(functionId, `${what}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function compileConcurrency(functionId: string, config: ConcurrencyConfig | undefined): ConcurrencyRule[] {
  if (config === undefined) return [];
  const options = typeof config === "number" ? [{ limit: config }] : Array.isArray(config) ? config : [config];
  // A limit of 0 means "no limit" in Inngest.
  return options
    .filter((option) => option.limit > 0)
    .map((option) => {
      const scope = "scope" in option && option.scope && option.scope !== "fn" ? option.scope : `fn:${functionId}`;
      const key = "key" in option ? option.key : undefined;
      const keyOf = key ? wrapExpressionError(functionId, `concurrency key`, () => compileKeyExpression(key)) : undefined;
      return { limit: option.limit, scope, keyOf, description: key ? `${key} (limit ${option.limit})` : `limit ${option.limit}` };
    });
}

export function compileFunction(appName: string, rawConfig: unknown): RegisteredFunction {
  const rawId = typeof rawConfig === "object" && rawConfig !== null && "id" in rawConfig ? String(rawConfig.id) : "?";
  const parsed = functionConfigSchema.safeParse(rawConfig);
  if (!parsed.success) {
    fail(
      rawId,
      `its configuration is not understood (${parsed.error.issues.map((i) => `${i.path.join(".") || "config"}: ${i.message}`).join("; ")})`,
    );
  }
  const config: FunctionConfig = parsed.data;
  const used = UNSUPPORTED_FEATURES.filter((feature) => config[feature] !== undefined);
  if (used.length > 0) fail(config.id, `${used.join(", ")} ${used.length === 1 ? "is" : "are"} not supported`);

  const step = config.steps.step ?? Object.values(config.steps)[0];
  if (!step) fail(config.id, "it registered no step URL");
  if (step.runtime.type !== "http") fail(config.id, `runtime "${step.runtime.type}" is not supported (only http)`);

  const triggers = config.triggers.map((trigger) => {
    if ("cron" in trigger) {
      wrapExpressionError(config.id, `cron trigger "${trigger.cron}"`, () => parseCron(trigger.cron));
      return { event: SCHEDULED_EVENT, cron: trigger.cron };
    }
    if (trigger.event.includes("*")) return fail(config.id, `wildcard trigger "${trigger.event}" is not supported`);
    const expression = trigger.expression;
    const condition = expression
      ? wrapExpressionError(config.id, `trigger condition`, () => compileExpression(expression, ["event"]))
      : undefined;
    return { event: trigger.event, condition };
  });

  const cancel = (config.cancel ?? []).map((rule): CancelRule => {
    const expression = rule.if;
    const condition = expression
      ? wrapExpressionError(config.id, `cancelOn condition`, () => compileExpression(expression, ["event", "async"]))
      : undefined;
    const timeout = rule.timeout;
    const timeoutMs = timeout ? wrapExpressionError(config.id, `cancelOn timeout`, () => parseDurationMs(timeout)) : undefined;
    return { event: rule.event, condition, timeoutMs };
  });

  return {
    id: config.id,
    name: config.name ?? config.id,
    appName,
    urls: [step.runtime.url],
    maxAttempts: (step.retries?.attempts ?? DEFAULT_RETRIES) + 1,
    triggers,
    cancel,
    concurrency: compileConcurrency(config.id, config.concurrency),
  };
}

/** Registered functions, replaced app by app: a registration is all-or-nothing. */
export class FunctionRegistry {
  private readonly functions = new Map<string, RegisteredFunction>();
  private attemptCount = 0;
  private registrationCount = 0;
  private rejection: string | undefined;

  /** Parses and compiles a /fn/register body; throws RegistrationError without changing anything. */
  register(body: unknown): { appName: string; functionIds: string[] } {
    this.attemptCount += 1;
    this.rejection = undefined;
    try {
      return this.apply(body);
    } catch (error) {
      this.rejection = error instanceof Error ? error.message : String(error);
      throw error;
    }
  }

  private apply(body: unknown): { appName: string; functionIds: string[] } {
    const parsed = registerRequestSchema.safeParse(body);
    if (!parsed.success) {
      throw new RegistrationError(
        `Invalid registration body: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`,
      );
    }
    const { appName, functions } = parsed.data;
    const compiled = functions.map((config) => compileFunction(appName, config));
    // Several processes of one app (job workers) register the same functions at their own URLs.
    for (const fn of compiled) {
      const earlier = this.functions.get(fn.id);
      if (earlier?.appName === appName) fn.urls = [...new Set([...earlier.urls, ...fn.urls])];
    }
    for (const [id, fn] of this.functions) if (fn.appName === appName) this.functions.delete(id);
    for (const fn of compiled) this.functions.set(fn.id, fn);
    this.registrationCount += 1;
    return { appName, functionIds: compiled.map((fn) => fn.id) };
  }

  /** Counters that let sync() tell whether a PUT reached this engine and how it went. */
  get progress(): { attempts: number; registrations: number; lastRejection: string | undefined } {
    return { attempts: this.attemptCount, registrations: this.registrationCount, lastRejection: this.rejection };
  }

  isEmpty(): boolean {
    return this.functions.size === 0;
  }

  ids(): string[] {
    return [...this.functions.keys()];
  }

  /** The functions one app registered. */
  ofApp(appName: string): RegisteredFunction[] {
    return [...this.functions.values()].filter((fn) => fn.appName === appName);
  }

  /** Functions with a trigger for this event whose condition (if any) holds. */
  triggeredBy(event: EngineEvent): RegisteredFunction[] {
    return [...this.functions.values()].filter((fn) =>
      fn.triggers.some(
        (trigger) =>
          trigger.event === event.name &&
          (trigger.cron === undefined || (event.data as { cron?: unknown }).cron === trigger.cron) &&
          (!trigger.condition || trigger.condition.evaluate({ event })),
      ),
    );
  }

  /** The cron expressions of the registered functions. */
  cronExpressions(): string[] {
    return [...this.functions.values()].flatMap((fn) => fn.triggers.flatMap((trigger) => (trigger.cron ? [trigger.cron] : [])));
  }
}
