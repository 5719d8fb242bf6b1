import type { ReactNode } from "react";

/** A column heading: its text, right-aligned when it heads numbers; "" for a column without one (actions). */
export type Column = string | { label: string; numeric: true };

/** The heading row every table of Trawl's pages shares; `lead` is an extra first cell (a select-all box). */
export function TableHead({ columns, lead }: { columns: readonly Column[]; lead?: ReactNode }) {
  return (
    <thead className="text-slate-500">
      <tr>
        {lead}
        {columns.map((column, i) =>
          typeof column === "string" ? (
            column ? (
              <th key={column} className="py-1 font-medium">
                {column}
              </th>
            ) : (
              <th key={`blank-${i}`} />
            )
          ) : (
            <th key={column.label} className="py-1 text-right font-medium">
              {column.label}
            </th>
          ),
        )}
      </tr>
    </thead>
  );
}

/** A right-aligned column of numbers. */
export const numeric = (label: string): Column => ({ label, numeric: true });
