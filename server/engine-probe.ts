import { config } from "@/lib/config";
import { probeEngineServer, RUN_JOB_FUNCTION, type EngineProbe } from "@/lib/health";
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
        const registered = engine.registeredFunctions();
        return registered.includes(RUN_JOB_FUNCTION)
          ? { ok: true, detail: `${engine.url}, ${engine.activeRuns().length} active run(s)` }
          : { ok: false, detail: `${engine.url} has not registered Trawl's functions yet` };
      }
      return probeEngineServer(cfg);
    },
  };
}
