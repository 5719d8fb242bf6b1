import { randomBytes } from "node:crypto";
import pg from "pg";

// The tests' databases on a PostgreSQL server (TEST_DATABASE_URL, a postgresql:// URL of a
// server where they may create and drop databases): one migrated template per run, and a
// copy of it per test file (CREATE DATABASE … TEMPLATE, a file copy inside the server).

/** The URL of the database named `name` on the server of `serverUrl`. */
export function databaseUrlOn(serverUrl: string, name: string) {
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

async function onServer<T>(serverUrl: string, work: (client: pg.Client) => Promise<T>) {
  const client = new pg.Client({ connectionString: databaseUrlOn(serverUrl, "postgres") });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** A database name of this run's prefix: letters, digits and underscores only, so it needs no quoting. */
export function newDatabaseName(prefix: string) {
  return `${prefix}_${randomBytes(6).toString("hex")}`;
}

export async function createDatabase(serverUrl: string, name: string, template?: string) {
  await onServer(serverUrl, (client) => client.query(`CREATE DATABASE ${name}${template ? ` TEMPLATE ${template}` : ""}`));
  return databaseUrlOn(serverUrl, name);
}

/** Drops every database whose name starts with the prefix, closing what is still connected. */
export async function dropDatabases(serverUrl: string, prefix: string) {
  await onServer(serverUrl, async (client) => {
    const { rows } = await client.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE starts_with(datname, $1)`, [prefix]);
    for (const { datname } of rows) await client.query(`DROP DATABASE ${datname} WITH (FORCE)`);
  });
}
