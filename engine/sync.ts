import { AppRequestError, requestApp, type AppResponse } from "./app-request";
import type { FunctionRegistry } from "./registry";
import type { EngineLog } from "./run-driver";
import { backoffMs, delay } from "./timing";

// Sync = PUT on the app's serve route; the SDK (dev mode) answers by POSTing its function
// configs to {engine}/fn/register. The app usually starts after the engine, so connection
// failures are retried with backoff until a deadline.

export interface SyncOptions {
  appServeUrl: string;
  engineUrl: string;
  registry: FunctionRegistry;
  timeoutMs: number;
  requestTimeoutMs: number;
  signingKey?: string;
  stopSignal: AbortSignal;
  log: EngineLog;
}

function describe(response: AppResponse): string {
  const body = response.body;
  const message =
    typeof body === "object" && body !== null && "message" in body && typeof body.message === "string"
      ? body.message
      : typeof body === "string"
        ? body.slice(0, 300)
        : JSON.stringify(body);
  return `HTTP ${response.status}${message ? `: ${message}` : ""}`;
}

export async function syncApp(options: SyncOptions): Promise<void> {
  const { appServeUrl, engineUrl, registry, log } = options;
  const deadline = Date.now() + options.timeoutMs;
  for (let attempt = 0; ; attempt++) {
    const before = registry.progress;
    let problem: string;
    try {
      const response = await requestApp("PUT", appServeUrl, undefined, {
        timeoutMs: Math.max(1, Math.min(options.requestTimeoutMs, deadline - Date.now())),
        stopSignal: options.stopSignal,
        signingKey: options.signingKey,
      });
      const after = registry.progress;
      if (after.attempts > before.attempts && after.lastRejection) {
        throw new Error(`Sync of ${appServeUrl} failed: the engine rejected the app's functions. ${after.lastRejection}`);
      }
      if (response.status >= 200 && response.status < 300) {
        if (after.registrations > before.registrations) {
          log("info", `synced ${appServeUrl}: ${registry.ids().length} function(s) registered`);
          return;
        }
        throw new Error(
          `Sync of ${appServeUrl} failed: the app answered ${describe(response)} but never registered its functions at ` +
            `${engineUrl}/fn/register. Its Inngest client must have baseUrl ${engineUrl} (dev mode, or the engine's signing key).`,
        );
      }
      problem = `the app answered ${describe(response)}`;
    } catch (error) {
      if (!(error instanceof AppRequestError)) throw error;
      if (error.reason === "stopped") throw new Error(`Sync of ${appServeUrl} aborted: the engine is stopping`);
      problem = error.message;
    }
    const waitMs = backoffMs(attempt);
    if (Date.now() + waitMs >= deadline) {
      throw new Error(`Sync of ${appServeUrl} failed: no successful answer within ${options.timeoutMs} ms; last problem: ${problem}`);
    }
    if (attempt === 0) log("info", `sync of ${appServeUrl} not possible yet (${problem}); retrying for up to ${options.timeoutMs} ms`);
    if (!(await delay(waitMs, options.stopSignal))) {
      throw new Error(`Sync of ${appServeUrl} aborted: the engine is stopping`);
    }
  }
}
