import type { Db } from "@/lib/db";
import type { HealthContext } from "@/lib/health";
import { catalogWithHealth } from "@/lib/sources/catalog-view";
import { startupProblems } from "./boot";
import { engineProbe } from "./engine-probe";

/** What the health checks need to know about this running server. */
export async function healthContext(client: Db): Promise<HealthContext> {
  return {
    engine: engineProbe(),
    startupProblems: startupProblems(),
    sourcesMissingKeys: (await catalogWithHealth(client)).filter((s) => s.key && !s.key.configured).map((s) => s.name),
  };
}
