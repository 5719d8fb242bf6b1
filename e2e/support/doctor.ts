import { spawnSync } from "node:child_process";

/** Runs `npm run doctor`'s script with the given settings; returns its exit code and output. */
export function runDoctor(env: Record<string, string>) {
  const result = spawnSync("node_modules/.bin/tsx", ["scripts/doctor.ts"], { env: { ...process.env, ...env }, encoding: "utf8" });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}
