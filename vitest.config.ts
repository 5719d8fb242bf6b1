import { defineConfig } from "vitest/config";
import os from "node:os";
import { fileURLToPath } from "node:url";

export default defineConfig({
  resolve: { alias: { "@": fileURLToPath(new URL("./", import.meta.url)) } },
  test: {
    include: ["lib/**/*.test.ts", "engine/**/*.test.ts", "inngest/**/*.test.ts", "tests/**/*.test.ts", "app/**/*.test.ts"],
    environment: "node",
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: "forks",
    // The suite waits on I/O (local servers, child processes, databases) more than it computes:
    // on 2 cores, two files at once ran the SQLite pass in 161 s instead of 235 s with vitest's one.
    maxWorkers: Math.max(2, os.availableParallelism() - 1),
    globalSetup: ["tests/support/global-setup.ts"],
    setupFiles: ["tests/support/per-file-env.ts"],
  },
});
