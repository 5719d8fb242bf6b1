#!/usr/bin/env node
// Stand-in for Prisma's native `schema-engine` binary, which cannot be downloaded on
// offline machines. The Prisma CLI finds it through PRISMA_SCHEMA_ENGINE_BINARY (set by
// scripts/prisma.mjs). It speaks the engine's line-delimited JSON-RPC on stdio and runs
// the CLI's own schema engine compiled to wasm (node_modules/prisma/build/
// schema_engine_bg.wasm) through a driver adapter, so `migrate deploy/dev/status/diff`
// behave as with the native engine. Re-check the workarounds marked (a)–(g) on every
// Prisma upgrade; they are described in the README's "Offline Prisma" section.
import fs from "node:fs/promises";
import path from "node:path";
import readline from "node:readline";
import { createRequire } from "node:module";
import { bindMigrationAwareSqlAdapterFactory } from "@prisma/driver-adapter-utils";

const require = createRequire(import.meta.url);
const argv = process.argv.slice(2);

function logLine(level, fields) {
  process.stderr.write(JSON.stringify({ timestamp: new Date().toISOString(), level, fields, target: "schema_engine::logger" }) + "\n");
}

function option(name) {
  const at = argv.indexOf(name);
  return at >= 0 ? argv[at + 1] : undefined;
}

async function loadWasmEngine() {
  const glue = await import("@prisma/schema-engine-wasm/schema_engine_bg");
  const wasmPath = path.join(path.dirname(require.resolve("prisma/package.json")), "build/schema_engine_bg.wasm");
  const instance = new WebAssembly.Instance(new WebAssembly.Module(await fs.readFile(wasmPath)), {
    "./schema_engine_bg.js": glue,
  });
  glue.__wbg_set_wasm(instance.exports);
  instance.exports.__wbindgen_start();
  return glue;
}

// (b) On SQLite shadow databases the engine replays whole migration scripts through
// executeRaw, which runs only the first statement: route argument-less calls to executeScript.
function withShadowScripts(factory) {
  return {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: () => factory.connect(),
    connectToShadowDb: async () => {
      const adapter = await factory.connectToShadowDb();
      const executeRaw = adapter.executeRaw.bind(adapter);
      adapter.executeRaw = async (query) => (query.args.length === 0 ? (await adapter.executeScript(query.sql), 0) : executeRaw(query));
      return adapter;
    },
  };
}

async function postgresFactory(url, shadowUrl) {
  // (d) adapter-pg cannot read "char" columns (OID 18) that the engine's introspection selects.
  const { default: Result } = await import("pg/lib/result.js");
  const addFields = Result.prototype.addFields;
  Result.prototype.addFields = function (fields) {
    for (const field of fields) if (field.dataTypeID === 18) field.dataTypeID = 25;
    return addFields.call(this, fields);
  };
  const { PrismaPg } = await import("@prisma/adapter-pg");
  const { parse } = await import("pg-connection-string");
  const toConfig = (u) => Object.fromEntries(Object.entries(parse(u)).filter(([, v]) => v != null));
  const base = toConfig(url);
  const inner = new PrismaPg(base);
  return {
    provider: inner.provider,
    adapterName: inner.adapterName,
    connect: () => inner.connect(),
    // (e)/(f) adapter-pg's own shadow handling ignores the database name and drops the
    // shadow before closing it: create, connect and drop it here instead.
    connectToShadowDb: async () => {
      if (shadowUrl) return new PrismaPg(toConfig(shadowUrl)).connect();
      const admin = await inner.connect();
      const name = `prisma_migrate_shadow_db_${crypto.randomUUID()}`;
      await admin.executeScript(`CREATE DATABASE "${name}"`);
      const shadow = await new PrismaPg({ ...base, database: name }).connect();
      const dispose = shadow.dispose.bind(shadow);
      shadow.dispose = async () => {
        await dispose();
        await admin.executeScript(`DROP DATABASE IF EXISTS "${name}"`);
        await admin.dispose();
      };
      return shadow;
    },
  };
}

async function adapterFactoryFor(datasource) {
  const url = datasource?.url ?? "";
  if (/^postgres(ql)?:\/\//.test(url)) return { kind: "postgresql", factory: await postgresFactory(url, datasource.shadowDatabaseUrl) };
  if (url.startsWith("file:")) {
    // Like the native engine, create the database file on first use: its folder too (data/
    // does not exist in a fresh clone).
    await fs.mkdir(path.dirname(url.slice("file:".length)), { recursive: true });
    const { PrismaBetterSqlite3 } = await import("@prisma/adapter-better-sqlite3");
    const shadow = datasource.shadowDatabaseUrl ? { shadowDatabaseUrl: datasource.shadowDatabaseUrl } : undefined;
    return { kind: "sqlite", factory: withShadowScripts(new PrismaBetterSqlite3({ url }, shadow)) };
  }
  throw new Error(`schema-engine stand-in: unsupported datasource URL scheme "${url.split(":")[0]}:"`);
}

async function runCliSubcommand(datasource) {
  const sub = argv[argv.indexOf("cli") + 1];
  try {
    const { kind, factory } = await adapterFactoryFor(datasource);
    if (kind === "postgresql" && sub === "create-database") {
      const target = new URL(datasource.url);
      const name = decodeURIComponent(target.pathname.slice(1));
      target.pathname = "/postgres";
      const admin = await (await postgresFactory(target.toString())).connect();
      await admin.executeScript(`CREATE DATABASE "${name.replace(/"/g, '""')}"`);
      await admin.dispose();
    } else {
      const adapter = await factory.connect();
      await adapter.queryRaw({ sql: "SELECT 1", args: [], argTypes: [] });
      await adapter.dispose();
    }
    logLine("INFO", { message: `${sub} ok` });
    process.exit(0);
  } catch (error) {
    const message = String(error?.cause?.message ?? error?.message ?? error);
    const missing = /does not exist/.test(message) || error?.cause?.kind === "DatabaseDoesNotExist";
    // The CLI parses stderr from its second line on: the first is a banner, as with the native engine.
    process.stderr.write("schema-engine stand-in\n");
    logLine("ERROR", { is_panic: false, error_code: missing ? "P1003" : "P1001", message });
    process.exit(1);
  }
}

const SQLITE_MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    TEXT PRIMARY KEY NOT NULL,
    "checksum"              TEXT NOT NULL,
    "finished_at"           DATETIME,
    "migration_name"        TEXT NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        DATETIME,
    "started_at"            DATETIME NOT NULL DEFAULT current_timestamp,
    "applied_steps_count"   INTEGER UNSIGNED NOT NULL DEFAULT 0
);`;

async function serveJsonRpc(datasource) {
  const glue = await loadWasmEngine();
  const datamodels = argv.flatMap((arg, i) => (arg === "--datamodels" ? [argv[i + 1]] : []));
  const files = await Promise.all(datamodels.map(async (p) => [p, await fs.readFile(p, "utf8")]));
  const { kind, factory: rawFactory } = await adapterFactoryFor(datasource);
  // (a) the wasm engine needs the migration-aware wrapper around the adapter factory.
  const factory = bindMigrationAwareSqlAdapterFactory(rawFactory);
  const engine = await glue.SchemaEngine.new(
    { datamodels: files.length ? files : undefined },
    (line) => process.env.SCHEMA_ENGINE_DEBUG && process.stderr.write(line + "\n"),
    factory,
  );

  async function withAdapter(fn) {
    const adapter = await rawFactory.connect();
    try {
      return await fn(adapter);
    } finally {
      await adapter.dispose();
    }
  }

  // (c) wasm on SQLite cannot tell "no migrations table yet" from other errors: create the
  // empty bookkeeping table first, on an empty database only (so P3005 protection stays).
  async function ensureSqliteMigrationsTable() {
    if (kind !== "sqlite") return;
    await withAdapter(async (adapter) => {
      const tables = await adapter.queryRaw({
        sql: "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'",
        args: [],
        argTypes: [],
      });
      if (tables.rows.length === 0) await adapter.executeScript(SQLITE_MIGRATIONS_TABLE);
    });
  }

  // (g) the wasm reset on SQLite edits sqlite_master, which better-sqlite3 refuses
  // silently: drop every object explicitly instead.
  async function resetSqlite() {
    await withAdapter(async (adapter) => {
      const objects = await adapter.queryRaw({
        sql: "SELECT type, name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' AND type IN ('table','view','trigger')",
        args: [],
        argTypes: [],
      });
      const drops = objects.rows.map(
        ([type, name]) => `DROP ${String(type).toUpperCase()} IF EXISTS "${String(name).replace(/"/g, '""')}";`,
      );
      await adapter.executeScript(["PRAGMA foreign_keys=OFF;", ...drops, "PRAGMA foreign_keys=ON;"].join("\n"));
      await adapter.executeScript("VACUUM;");
    });
    return {};
  }

  const needsMigrationsTable = new Set(["devDiagnostic", "diagnoseMigrationHistory", "markMigrationApplied", "markMigrationRolledBack"]);
  async function handle(method, params) {
    if (needsMigrationsTable.has(method)) await ensureSqliteMigrationsTable();
    if (method === "createDatabase") return { databaseName: "" };
    if (method === "reset" && kind === "sqlite") return resetSqlite();
    const name = method === "getDatabaseVersion" ? "version" : method;
    if (typeof engine[name] !== "function") throw new Error(`schema-engine stand-in: method ${method} is not supported by the wasm engine`);
    const result = await engine[name](params);
    if (method === "diff" && result?.stdout) {
      // The native engine prints diffs through a `print` notification instead of returning them.
      process.stdout.write(
        JSON.stringify({ jsonrpc: "2.0", method: "print", params: { content: result.stdout.replace(/\n$/, "") }, id: 0x7fffffff }) + "\n",
      );
      return { exitCode: result.exitCode };
    }
    return result ?? {};
  }

  function errorResponse(id, error) {
    const external = [...String(error?.message).matchAll(/External error id#(\d+)/g)].map((m) =>
      String(factory.errorRegistry.consumeError(Number(m[1]))?.error?.message ?? ""),
    );
    const message = [error?.message, ...external].filter(Boolean).join("\n");
    const code = typeof error?.code === "string" && /^P\d{4}$/.test(error.code) ? error.code : undefined;
    return {
      jsonrpc: "2.0",
      id,
      error: {
        code: 4466,
        message: "An error happened. Check the data field for details.",
        data: { is_panic: error?.name === "RuntimeError", message, error_code: code, meta: error?.meta },
      },
    };
  }

  const lines = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
  let queue = Promise.resolve();
  lines.on("line", (line) => {
    let message;
    try {
      message = JSON.parse(line);
    } catch (error) {
      logLine("ERROR", { message: `schema-engine stand-in: unreadable JSON-RPC line: ${error.message}` });
      return;
    }
    if (message.method === undefined) return; // the CLI's reply to our `print` notification
    queue = queue.then(async () => {
      let reply;
      try {
        reply = { jsonrpc: "2.0", id: message.id, result: await handle(message.method, message.params) };
      } catch (error) {
        reply = errorResponse(message.id, error);
      }
      process.stdout.write(JSON.stringify(reply) + "\n");
    });
  });
  lines.on("close", async () => {
    await queue;
    engine.free();
    process.exit(0);
  });
}

const datasource = option("--datasource") ? JSON.parse(option("--datasource")) : undefined;
try {
  if (argv.includes("--version") || argv.includes("-V")) {
    const glue = await loadWasmEngine();
    console.log(`schema-engine-cli ${glue.version()}`);
  } else if (argv.includes("cli")) {
    await runCliSubcommand(datasource);
  } else {
    await serveJsonRpc(datasource);
  }
} catch (error) {
  // The CLI shows the engine's stderr only as JSON log lines: a plain stack trace would
  // leave it printing an empty "Schema engine error:".
  logLine("ERROR", { is_panic: false, message: `schema-engine stand-in: ${error?.stack ?? error}` });
  process.exit(1);
}
