import { databaseLocation, type Config } from "@/lib/config";
import type { Db } from "@/lib/db";
import { errorMessage } from "@/lib/log";
import { databaseId, probeEngineServer, runHealthChecks, type Check, type EngineProbe, type HealthSummary } from "@/lib/health";

/** What `npm run doctor` learns from the running app, or why it could not ask. */
export type AppAnswer = { reachable: true; report: HealthSummary } | { reachable: false; reason: string };

export async function askRunningApp(appUrl: string, timeoutMs = 5_000): Promise<AppAnswer> {
  try {
    const response = await fetch(`${appUrl}/api/health`, { signal: AbortSignal.timeout(timeoutMs) });
    return { reachable: true, report: (await response.json()) as HealthSummary };
  } catch (error) {
    return { reachable: false, reason: errorMessage(error) };
  }
}

function engineFromApp(cfg: Config, app: AppAnswer): EngineProbe {
  return {
    mode: cfg.engine.mode,
    async probe() {
      // An Inngest server is probed from here; the offline engine runs inside the app, which says whether it works.
      if (cfg.engine.mode !== "offline") return probeEngineServer(cfg);
      if (!app.reachable) return { ok: false, detail: "unknown: the app is not running, and the engine runs with it" };
      const check = app.report.checks.find((c) => c.name === "engine");
      return check
        ? { ok: check.ok, detail: check.detail.replace(/^[^:]*: /, "") }
        : { ok: false, detail: "the app reported no engine check" };
    },
  };
}

function appChecks(cfg: Config, app: AppAnswer): Check[] {
  if (!app.reachable) {
    return [
      {
        name: "app",
        ok: false,
        detail: `not answering at ${cfg.appUrl} (${app.reason})`,
        fix: "Start it with npm start, or set TRAWL_APP_URL to where it runs.",
      },
    ];
  }
  const mine = databaseLocation(cfg);
  const same = app.report.databaseId === databaseId(cfg);
  return [
    { name: "app", ok: true, detail: `running at ${cfg.appUrl}, reporting ${app.report.ok ? "healthy" : "problems"}` },
    same
      ? { name: "same database", ok: true, detail: `the app and this shell both use ${mine}` }
      : {
          name: "same database",
          ok: false,
          detail: `the running app uses another database than this shell's settings, which point at ${mine}`,
          fix: "Use the same DATABASE_URL / TRAWL_DATA_DIR for every process (the app, migrations, this command), then restart the app.",
        },
    ...app.report.checks.filter((c) => !c.ok && !["engine"].includes(c.name)).map((c) => ({ ...c, name: `app: ${c.name}` })),
  ];
}

/** The doctor's report: this shell's view of the installation plus the running app's. */
export async function diagnose(client: Db, cfg: Config, app: AppAnswer) {
  const local = await runHealthChecks(client, cfg, { engine: engineFromApp(cfg, app), startupProblems: [] });
  const checks = [...appChecks(cfg, app), ...local.checks.filter((c) => c.name !== "start-up")];
  return { ok: checks.every((c) => c.ok), checks };
}

export function formatDiagnosis(report: { ok: boolean; checks: Check[] }) {
  const lines = report.checks.map((c) => `${c.ok ? "✓" : "✗"} ${c.name}: ${c.detail}${c.fix ? `\n    fix: ${c.fix}` : ""}`);
  lines.push("", report.ok ? "All checks passed." : `${report.checks.filter((c) => !c.ok).length} check(s) failed.`);
  return lines.join("\n");
}
