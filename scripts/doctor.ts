// npm run doctor: checks this installation from a shell and compares it with the running app.
import { loadConfig } from "../lib/config";
import { createDb } from "../lib/db";
import { askRunningApp, diagnose, formatDiagnosis } from "../lib/doctor";
import { catalogWithHealth } from "../lib/sources/catalog-view";

const cfg = loadConfig();
const client = createDb(cfg.databaseUrl);
try {
  const app = await askRunningApp(cfg.appUrl);
  const missingKeys = (await catalogWithHealth(client)).filter((s) => s.key && !s.key.configured).map((s) => s.name);
  const report = await diagnose(client, cfg, app, missingKeys);
  console.log(formatDiagnosis(report));
  process.exitCode = report.ok ? 0 : 1;
} finally {
  await client.$disconnect();
}
