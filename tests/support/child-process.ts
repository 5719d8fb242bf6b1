import { spawn, type ChildProcess } from "node:child_process";

// One of Trawl's own processes (a job worker, the engine) started as npm start would, with
// its output kept for failure messages, and ready once its URL answers.

export interface RunningProcess {
  child: ChildProcess;
  output(): string;
  /** SIGKILL, and wait for the exit. */
  kill(): Promise<void>;
}

export async function startScript(
  script: string,
  env: Record<string, string>,
  readyUrl: string,
  timeoutMs = 30_000,
): Promise<RunningProcess> {
  const child = spawn(process.execPath, ["--import", "tsx", script], {
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (chunk) => (output += chunk));
  child.stderr?.on("data", (chunk) => (output += chunk));
  const running: RunningProcess = {
    child,
    output: () => output,
    async kill() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGKILL");
      await exited;
    },
  };
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${script} exited with ${child.exitCode}:\n${output}`);
    const up = await fetch(readyUrl).then(
      (response) => response.status < 500,
      () => false,
    );
    if (up) return running;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await running.kill();
  throw new Error(`${script} did not answer at ${readyUrl} within ${timeoutMs} ms:\n${output}`);
}
