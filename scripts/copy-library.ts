// npm run db:copy -- --to postgresql://user@host:5432/trawl [--from file:data/trawl.db]
// Moves an existing library (users, sessions, API keys, jobs, items, events, files' records,
// source settings) into a new PostgreSQL database: migrates both to the current schema, then
// copies every row in one transaction on the target (lib/db/copy-library.ts). The target must
// be empty. --from defaults to this installation's DATABASE_URL (the embedded SQLite file).
// Afterwards start Trawl with DATABASE_URL set to the --to URL and the same TRAWL_DATA_DIR.
import { spawnSync } from "node:child_process";
import { parseArgs } from "node:util";
import { z } from "zod";
import { absoluteDatabaseUrl, config, databaseKindOf, databaseLocation } from "../lib/config";
import { createDb } from "../lib/db";
import { copyLibrary } from "../lib/db/copy-library";

const databaseUrl = z.string().regex(/^(file:|postgres(ql)?:\/\/)/, "must be a file: or postgresql:// URL");
const args = z
  .object({ from: databaseUrl.optional(), to: databaseUrl, "batch-size": z.coerce.number().int().min(1).max(10_000).default(1_000) })
  .safeParse(parseArgs({ options: { from: { type: "string" }, to: { type: "string" }, "batch-size": { type: "string" } } }).values);

function migrate(url: string) {
  const run = spawnSync(process.execPath, ["scripts/prisma.mjs", "migrate", "deploy"], {
    env: { ...process.env, DATABASE_URL: url },
    encoding: "utf8",
  });
  if (run.status !== 0) throw new Error(`migrate deploy failed for ${databaseLocation({ databaseUrl: url })}:\n${run.stdout}${run.stderr}`);
}

async function main() {
  if (!args.success) {
    console.error(`Usage: npm run db:copy -- --to postgresql://… [--from file:…]\n${z.prettifyError(args.error)}`);
    process.exit(2);
  }
  const cfg = config();
  const from = absoluteDatabaseUrl(args.data.from ?? cfg.databaseUrl, cfg.root);
  const to = absoluteDatabaseUrl(args.data.to, cfg.root);
  if (from === to) throw new Error("--from and --to name the same database");
  console.log(`Copying ${databaseLocation({ databaseUrl: from })} → ${databaseLocation({ databaseUrl: to })}`);
  migrate(from);
  migrate(to);
  const source = createDb(from);
  const target = createDb(to);
  try {
    const counts = await copyLibrary(
      source,
      { client: target, kind: databaseKindOf(to) },
      {
        batchSize: args.data["batch-size"],
        onTable: (model, rows) => console.log(`  ${model}: ${rows} rows`),
      },
    );
    const total = Object.values(counts).reduce((sum, n) => sum + n, 0);
    console.log(`Done: ${total} rows. Start Trawl with DATABASE_URL=<the --to URL> and the same TRAWL_DATA_DIR.`);
  } finally {
    await source.$disconnect();
    await target.$disconnect();
  }
}

main().catch((error: unknown) => {
  console.error(`Copy failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
