// npm run doctor: checks this installation from a shell and compares it with the running app.
import { loadConfig } from "../lib/config";
import { createDb } from "../lib/db";
import { askRunningApp, diagnose, formatDiagnosis } from "../lib/doctor";

const cfg = loadConfig();
const client = createDb(cfg.databaseUrl);
try {
  const app = await askRunningApp(cfg.appUrl);
  const report = await diagnose(client, cfg, app);
  console.log(formatDiagnosis(report));
  process.exitCode = report.ok ? 0 : 1;
} finally {
  await client.$disconnect();
}
