import { config } from "@/lib/config";
import { missingFunctions, probeEngineServer, type EngineProbe } from "@/lib/health";
import { localEngine } from "./boot";

/** Tells whether the configured engine can run Trawl's functions. */
export function engineProbe(): EngineProbe {
  const cfg = config();
  return {
    mode: cfg.engine.mode,
    async probe() {
      if (cfg.engine.mode === "offline") {
        const engine = localEngine();
        if (!engine) return { ok: false, detail: "not started (see the server log)" };
        const missing = missingFunctions(engine.registeredFunctions());
        return missing.length === 0
          ? { ok: true, detail: `${engine.url}, ${engine.activeRuns().length} active run(s)` }
          : { ok: false, detail: `${engine.url} has not registered ${missing.join(", ")} yet` };
      }
      return probeEngineServer(cfg);
    },
  };
}
