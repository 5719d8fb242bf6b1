import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import { config, databaseKindOf } from "@/lib/config";
import { PrismaClient } from "./generated/client";
import { PrismaClient as PostgresqlClient } from "./generated-postgresql/client";

export type Db = PrismaClient;
export { Prisma } from "./generated/client";

const SQLITE_BUSY_TIMEOUT_MS = 10_000;

/**
 * Prisma's SQLite adapter opens transactions with a plain (deferred) BEGIN; its native engine
 * used BEGIN IMMEDIATE. A deferred transaction that reads, then writes, after another process
 * (the job worker) wrote in between fails at once with SQLITE_BUSY_SNAPSHOT, without waiting:
 * better-auth's sign-in rate limit (find, then update, in one transaction) answered 500 while
 * a job ran. IMMEDIATE takes the write lock at BEGIN, where SQLite waits its busy timeout.
 * Every transaction Trawl and better-auth open writes, so none loses concurrency by it.
 */
class SqliteWithImmediateTransactions extends PrismaBetterSqlite3 {
  override async connect() {
    const adapter = await super.connect();
    const connection = (adapter as unknown as { client: { prepare(sql: string): unknown } }).client;
    const prepare = connection.prepare.bind(connection);
    connection.prepare = (sql: string) => prepare(sql === "BEGIN" ? "BEGIN IMMEDIATE" : sql);
    return adapter;
  }
}

/**
 * A client for the database at the URL: SQLite for a file: URL, PostgreSQL otherwise, each with
 * the client generated from its provider's schema (scripts/db-schemas.mjs). Both come from one
 * model, so the SQLite client's types describe either. onQuery hears every SQL statement it
 * sends (tests count them).
 */
export function createDb(databaseUrl: string, options: { onQuery?: (sql: string, params: string) => void } = {}): Db {
  const log = options.onQuery ? [{ emit: "event" as const, level: "query" as const }] : [];
  const client =
    databaseKindOf(databaseUrl) === "sqlite"
      ? new PrismaClient({ adapter: new SqliteWithImmediateTransactions({ url: databaseUrl, timeout: SQLITE_BUSY_TIMEOUT_MS }), log })
      : (new PostgresqlClient({ adapter: new PrismaPg({ connectionString: databaseUrl }), log }) as unknown as PrismaClient);
  const { onQuery } = options;
  if (onQuery) (client as PrismaClient<"query">).$on("query", (event) => onQuery(event.query, event.params));
  return client;
}

// One client per process. Kept on globalThis so Next's dev reloads do not open a new
// connection pool on every edit.
const holder = globalThis as unknown as { trawlDb?: Db };

export function db(): Db {
  holder.trawlDb ??= createDb(config().databaseUrl);
  return holder.trawlDb;
}

/** Per-database settings that must hold before work starts (WAL lets pages read while jobs write). */
export async function prepareDatabase(client: Db = db(), databaseUrl = config().databaseUrl) {
  if (databaseKindOf(databaseUrl) !== "sqlite") return;
  const rows = await client.$queryRawUnsafe<Array<{ journal_mode: string }>>("PRAGMA journal_mode = WAL");
  if (rows[0]?.journal_mode !== "wal") {
    throw new Error(`SQLite refused WAL mode (journal_mode=${rows[0]?.journal_mode ?? "unknown"}) for ${databaseUrl}`);
  }
  await optimizeDatabase(client, databaseUrl);
}

/**
 * Keeps SQLite's table statistics current (PRAGMA optimize: ANALYZE only where the row
 * counts moved a lot since the last one, a fraction of a millisecond otherwise). Without
 * them its planner reads the dashboard's active jobs through the (userId, createdAt) index,
 * every job of the user, instead of (userId, status, createdAt): 2.1 ms instead of 0.07 ms
 * per poll with 10,000 jobs. PostgreSQL's autovacuum keeps its own statistics.
 */
export async function optimizeDatabase(client: Db = db(), databaseUrl = config().databaseUrl) {
  // 0x10002: every table, not only those this connection has queried (a few hundredths of a ms when nothing moved).
  if (databaseKindOf(databaseUrl) === "sqlite") await client.$queryRawUnsafe("PRAGMA optimize=0x10002");
}

import type { Prisma as PrismaTypes } from "./generated/client";
/** Either the client or the client inside an interactive transaction. */
export type DbClient = Db | PrismaTypes.TransactionClient;
