import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import { config } from "@/lib/config";
import { PrismaClient } from "./generated/client";

export type Db = PrismaClient;
export { Prisma } from "./generated/client";

const SQLITE_BUSY_TIMEOUT_MS = 10_000;

/** A client for the database at the URL; onQuery hears every SQL statement it sends (tests count them). */
export function createDb(databaseUrl: string, options: { onQuery?: (sql: string) => void } = {}): Db {
  const adapter = databaseUrl.startsWith("file:")
    ? new PrismaBetterSqlite3({ url: databaseUrl, timeout: SQLITE_BUSY_TIMEOUT_MS })
    : new PrismaPg({ connectionString: databaseUrl });
  const { onQuery } = options;
  if (!onQuery) return new PrismaClient({ adapter });
  const client = new PrismaClient({ adapter, log: [{ emit: "event", level: "query" }] });
  client.$on("query", (event) => onQuery(event.query));
  return client as unknown as Db;
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
  if (!databaseUrl.startsWith("file:")) return;
  const rows = await client.$queryRawUnsafe<Array<{ journal_mode: string }>>("PRAGMA journal_mode = WAL");
  if (rows[0]?.journal_mode !== "wal") {
    throw new Error(`SQLite refused WAL mode (journal_mode=${rows[0]?.journal_mode ?? "unknown"}) for ${databaseUrl}`);
  }
}

import type { Prisma as PrismaTypes } from "./generated/client";
/** Either the client or the client inside an interactive transaction. */
export type DbClient = Db | PrismaTypes.TransactionClient;
