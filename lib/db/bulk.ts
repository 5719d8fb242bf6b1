import { Prisma, type DbClient } from "@/lib/db";

// Many-row writes as single SQL statements. Prisma's createMany and per-row updates cost
// about half a millisecond per row in its query compiler, which dominated the download of
// many small files; a statement per slice costs a few hundredths of that. The SQL is kept
// to what SQLite and PostgreSQL both accept (quoted identifiers, CASE, CAST AS INTEGER/BIGINT).

export type SqlValue = string | number | bigint | Date | null;

/** SQLite binds at most 32,766 parameters per statement, PostgreSQL 65,535. */
const MAX_PARAMETERS = 30_000;
const IDENTIFIER = /^[A-Za-z][A-Za-z0-9_]*$/;

function quoted(name: string) {
  if (!IDENTIFIER.test(name)) throw new Error(`internal: not a plain SQL identifier: ${JSON.stringify(name)}`);
  return Prisma.raw(`"${name}"`);
}

function slices<T>(rows: T[], perRow: number) {
  const size = Math.max(1, Math.floor(MAX_PARAMETERS / Math.max(1, perRow)));
  const out: T[][] = [];
  for (let at = 0; at < rows.length; at += size) out.push(rows.slice(at, at + size));
  return out;
}

function sameColumns(rows: Record<string, SqlValue>[]) {
  const columns = Object.keys(rows[0]);
  for (const row of rows) {
    const keys = Object.keys(row);
    if (keys.length !== columns.length || keys.some((k, i) => k !== columns[i])) {
      throw new Error(`internal: rows with different columns (${columns.join(", ")} / ${keys.join(", ")})`);
    }
  }
  return columns;
}

/** INSERT of many rows; every row must name the same columns in the same order. */
export async function insertRows(client: DbClient, table: string, rows: Record<string, SqlValue>[]): Promise<void> {
  if (rows.length === 0) return;
  const columns = sameColumns(rows);
  const columnList = Prisma.join(columns.map(quoted));
  for (const slice of slices(rows, columns.length)) {
    const values = Prisma.join(slice.map((row) => Prisma.sql`(${Prisma.join(columns.map((c) => row[c]))})`));
    await client.$executeRaw`INSERT INTO ${quoted(table)} (${columnList}) VALUES ${values}`;
  }
}

export interface UpdateByIdOptions {
  /** Values the same for every row (e.g. an updatedAt timestamp). */
  set?: Record<string, SqlValue>;
  /** Columns holding integers: a CASE of parameters is text to PostgreSQL, so these are cast. */
  integers?: readonly string[];
}

/**
 * Gives each row (by "id") its own values with one UPDATE … SET col = CASE "id" WHEN … per
 * slice. Rows naming different columns go to separate statements.
 */
export async function updateRowsById(
  client: DbClient,
  table: string,
  rows: Array<{ id: string; values: Record<string, SqlValue> }>,
  options: UpdateByIdOptions = {},
): Promise<void> {
  const byShape = new Map<string, typeof rows>();
  for (const row of rows) {
    const shape = Object.keys(row.values).join(",");
    byShape.set(shape, [...(byShape.get(shape) ?? []), row]);
  }
  const shared = Object.entries(options.set ?? {}).map(([column, value]) => Prisma.sql`${quoted(column)} = ${value}`);
  for (const group of byShape.values()) {
    const columns = sameColumns(group.map((row) => row.values));
    for (const slice of slices(group, columns.length * 2 + 1)) {
      const assignments = columns.map((column) => {
        const cases = Prisma.join(
          slice.map((row) => Prisma.sql`WHEN ${row.id} THEN ${row.values[column]}`),
          " ",
        );
        const value = Prisma.sql`CASE "id" ${cases} END`;
        const typed = options.integers?.includes(column) ? Prisma.sql`CAST(${value} AS BIGINT)` : value;
        return Prisma.sql`${quoted(column)} = ${typed}`;
      });
      const ids = Prisma.join(slice.map((row) => row.id));
      await client.$executeRaw`UPDATE ${quoted(table)} SET ${Prisma.join([...assignments, ...shared])} WHERE "id" IN (${ids})`;
    }
  }
}
