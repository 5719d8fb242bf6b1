import { config } from "@/lib/config";
import { db } from "@/lib/db";

// A real database failure on demand: a trigger that refuses every insert into a table with the
// given message, in the dialect of the database the tests run on (SQLite or PostgreSQL).

const triggerName = (table: string) => `refuse_${table.toLowerCase()}`;

export async function refuseInserts(table: "Asset" | "JobEvent", message: string) {
  const name = triggerName(table);
  const quotedMessage = message.replace(/'/g, "''");
  if (config().databaseKind === "sqlite") {
    await db().$executeRawUnsafe(`CREATE TRIGGER ${name} BEFORE INSERT ON "${table}" BEGIN SELECT RAISE(ABORT, '${quotedMessage}'); END`);
    return;
  }
  await db().$executeRawUnsafe(
    `CREATE OR REPLACE FUNCTION ${name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION '${quotedMessage}'; END $$`,
  );
  await db().$executeRawUnsafe(`CREATE TRIGGER ${name} BEFORE INSERT ON "${table}" FOR EACH ROW EXECUTE FUNCTION ${name}()`);
}

export async function allowInserts(table: "Asset" | "JobEvent") {
  const name = triggerName(table);
  await db().$executeRawUnsafe(`DROP TRIGGER IF EXISTS ${name}${config().databaseKind === "sqlite" ? "" : ` ON "${table}"`}`);
}
