import type { z } from "zod";

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

/**
 * A list page's filter from its query string (empty fields left out). A query string the
 * schema refuses shows the unfiltered list with the reason, never an error page and never silently.
 */
export async function pageFilter<T extends z.ZodType>(schema: T, searchParams: SearchParams) {
  const raw = Object.fromEntries(Object.entries(await searchParams).filter(([, v]) => typeof v === "string" && v !== ""));
  const parsed = schema.safeParse(raw);
  if (parsed.success) return { filter: parsed.data as z.output<T>, problem: undefined };
  const issue = parsed.error.issues[0];
  return { filter: schema.parse({}) as z.output<T>, problem: `Filter ignored: ${issue.path.join(".") || "query"}: ${issue.message}` };
}

/** The line a list page shows when its filter was refused. */
export function FilterProblem({ problem }: { problem: string | undefined }) {
  return problem ? (
    <p role="status" className="text-sm text-red-700">
      {problem}
    </p>
  ) : null;
}
