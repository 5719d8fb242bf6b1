import type { HealthContext } from "@/lib/health";
import { startupProblems } from "./boot";
import { engineProbe } from "./engine-probe";

/** What the health checks need to know about this running server. */
export function healthContext(): HealthContext {
  return { engine: engineProbe(), startupProblems: startupProblems() };
}
