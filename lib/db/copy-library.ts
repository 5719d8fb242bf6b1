import type { DatabaseKind } from "@/lib/config";
import type { Db, DbClient } from "@/lib/db";

// Moves a whole library from one database to another (an embedded SQLite file to PostgreSQL,
// say): every table, row for row, keys and timestamps kept, in one transaction on the target,
// so a failure leaves the target as it was. The files themselves stay where they are; the
// target Trawl uses the same TRAWL_DATA_DIR (or storage URL).

/** Every model, parents before children, with the column that orders and pages its rows. */
const TABLES = [
  { model: "user", key: "id" },
  { model: "session", key: "id" },
  { model: "account", key: "id" },
  { model: "verification", key: "id" },
  { model: "appSecret", key: "name" },
  { model: "rateLimit", key: "id" },
  { model: "apikey", key: "id" },
  { model: "sourceSetting", key: "sourceId" },
  { model: "job", key: "id" },
  { model: "jobSource", key: "id" },
  { model: "asset", key: "id" },
  { model: "item", key: "id" },
  { model: "jobEvent", key: "id" },
] as const;

type Model = (typeof TABLES)[number]["model"];
type Row = Record<string, unknown>;

/** The part of a Prisma model delegate the copy uses; every model has it. */
interface Delegate {
  count(): Promise<number>;
  findMany(args: { take: number; orderBy: Row; where?: Row }): Promise<Row[]>;
  createMany(args: { data: Row[] }): Promise<{ count: number }>;
}

type DelegateHolder = Record<Model, unknown>;
const delegate = (client: unknown, model: Model) => (client as DelegateHolder)[model] as Delegate;

export type CopyCounts = Record<Model, number>;

/** Refuses a target that already holds rows: a copy is only ever into an empty, migrated database. */
async function requireEmpty(target: Db) {
  const filled: string[] = [];
  for (const { model } of TABLES) {
    const count = await delegate(target, model).count();
    if (count > 0) filled.push(`${model} (${count})`);
  }
  if (filled.length) throw new Error(`The target database is not empty: ${filled.join(", ")}. Copy into a new, migrated database.`);
}

export async function copyLibrary(
  source: Db,
  target: { client: Db; kind: DatabaseKind },
  options: { batchSize?: number; onTable?: (model: Model, rows: number) => void } = {},
): Promise<CopyCounts> {
  const { client: targetDb, kind: targetKind } = target;
  const batchSize = options.batchSize ?? 1_000;
  await requireEmpty(targetDb);
  const counts = {} as CopyCounts;
  await targetDb.$transaction(
    async (tx) => {
      for (const { model, key } of TABLES) {
        let copied = 0;
        let after: unknown = undefined;
        for (;;) {
          const rows = await delegate(source, model).findMany({
            take: batchSize,
            orderBy: { [key]: "asc" },
            ...(after === undefined ? {} : { where: { [key]: { gt: after } } }),
          });
          if (rows.length === 0) break;
          copied += (await delegate(tx, model).createMany({ data: rows })).count;
          after = rows[rows.length - 1][key];
        }
        const expected = await delegate(source, model).count();
        if (copied !== expected) throw new Error(`${model}: copied ${copied} rows of ${expected} (the source changed during the copy?)`);
        counts[model] = copied;
        options.onTable?.(model, copied);
      }
      await continueEventIds(tx, targetKind);
    },
    { timeout: 60 * 60_000, maxWait: 60_000 },
  );
  return counts;
}

/** JobEvent ids are the database's own counter: on PostgreSQL its sequence must go on after the copied ids. */
async function continueEventIds(tx: DbClient, kind: DatabaseKind) {
  if (kind !== "postgresql") return; // SQLite's AUTOINCREMENT follows explicit ids by itself
  await tx.$executeRawUnsafe(
    `SELECT setval(pg_get_serial_sequence('"JobEvent"', 'id'), COALESCE(MAX("id"), 0) + 1, false) FROM "JobEvent"`,
  );
}
