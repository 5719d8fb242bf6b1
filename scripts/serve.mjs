#!/usr/bin/env node
// Starts a built Trawl: applies pending migrations to the configured database, then runs
// Trawl's web server (scripts/web-server.mjs, Next's handler) on TRAWL_HOST:PORT (127.0.0.1:3000 by default) and prints the URL once the
// health check answers. Exits with the server's status; Ctrl-C stops both.
import { spawn, spawnSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const host = process.env.TRAWL_HOST ?? "127.0.0.1";
const port = process.env.PORT ?? "3000";
const env = { ...process.env, NEXT_TELEMETRY_DISABLED: "1", CHECKPOINT_DISABLE: "1", PORT: port, TRAWL_ROOT: root };

const migrate = spawnSync(process.execPath, [path.join(root, "scripts/prisma.mjs"), "migrate", "deploy"], {
  cwd: root,
  env,
  stdio: "inherit",
});
if (migrate.status !== 0) {
  console.error("Trawl: applying database migrations failed; not starting.");
  process.exit(migrate.status ?? 1);
}

const server = spawn(process.execPath, [path.join(root, "scripts/web-server.mjs")], {
  cwd: root,
  env: { ...env, NODE_ENV: "production" },
  stdio: "inherit",
});
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => server.kill(signal));
server.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));

const url = `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
const deadline = Date.now() + 60_000;
async function announce() {
  while (Date.now() < deadline) {
    const health = await fetch(`${url}/api/health`).then(
      async (response) => ({ status: response.status, body: await response.json() }),
      (error) => ({ status: 0, body: String(error.cause?.code ?? error.message) }),
    );
    const firstRun = health.body?.setupNeeded
      ? `First run: open it to create the administrator, or: npm run user -- create --username NAME --password PASSWORD\n`
      : "";
    if (health.status === 200) {
      console.log(`\nTrawl is running at ${url}\n${firstRun}`);
      return;
    }
    if (health.status === 503) {
      const failing = health.body.checks.filter((c) => !c.ok && c.name !== "engine");
      if (failing.length) {
        console.error(
          `\nTrawl is up at ${url} but unhealthy: ${failing.map((c) => c.name).join(", ")}. npm run doctor says why.\n${firstRun}`,
        );
        return;
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  console.error(`Trawl did not answer ${url}/api/health within 60 s; see the log above.`);
}
announce();
