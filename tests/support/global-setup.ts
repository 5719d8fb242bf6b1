import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";

declare module "vitest" {
  export interface ProvidedContext {
    templateDb: string;
  }
}

// Builds one migrated SQLite database with the real migrations (through the real Prisma
// CLI and Trawl's offline schema engine); each test file then works on its own copy.
export default function setup(project: TestProject) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "trawl-template-"));
  const file = path.join(dir, "template.db");
  execFileSync(process.execPath, ["scripts/prisma.mjs", "migrate", "deploy"], {
    env: { ...process.env, DATABASE_URL: `file:${file}` },
    stdio: "pipe",
  });
  project.provide("templateDb", file);
  return () => fs.rmSync(dir, { recursive: true, force: true });
}
