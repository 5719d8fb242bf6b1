import Link from "next/link";
import { db } from "@/lib/db";
import { pageUser } from "@/lib/auth/page-user";
import { historyFilter, listHistory, type HistoryFilter } from "@/lib/jobs/history";
import { jobStatuses } from "@/lib/jobs/status";
import { describeSources } from "@/lib/sources/registry";
import { HistoryTable } from "@/app/_components/history-table";
import { statusLabel } from "@/app/_components/format";
import { FilterProblem, pageFilter } from "@/app/_components/page-filter";

export const dynamic = "force-dynamic";

function nextLink(filter: HistoryFilter, after: string) {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(filter))
    if (value !== undefined && key !== "after" && key !== "limit") params.set(key, String(value));
  params.set("after", after);
  return `/jobs?${params}`;
}

export default async function HistoryPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const user = await pageUser();
  const { filter, problem } = await pageFilter(historyFilter, searchParams);
  const { jobs, next } = await listHistory(db(), user.id, filter);
  const field = "rounded-md border border-slate-300 px-2 py-1.5";
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-bold tracking-tight">Jobs</h1>
      <form className="flex flex-wrap items-end gap-3 text-sm" aria-label="Filter jobs">
        <label className="flex flex-col">
          <span className="text-slate-600">Search</span>
          <input name="q" defaultValue={filter.q ?? ""} placeholder="query text" className={field} />
        </label>
        <label className="flex flex-col">
          <span className="text-slate-600">Status</span>
          <select name="status" defaultValue={filter.status ?? ""} className={field}>
            <option value="">Any</option>
            {jobStatuses.map((s) => (
              <option key={s} value={s}>
                {statusLabel(s)}
              </option>
            ))}
          </select>
        </label>
        <label className="flex flex-col">
          <span className="text-slate-600">Source</span>
          <select name="source" defaultValue={filter.source ?? ""} className={field}>
            <option value="">Any</option>
            {describeSources().map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
          </select>
        </label>
        <label className="flex flex-col">
          <span className="text-slate-600">From</span>
          <input type="date" name="from" defaultValue={filter.from ?? ""} className={field} />
        </label>
        <label className="flex flex-col">
          <span className="text-slate-600">To</span>
          <input type="date" name="to" defaultValue={filter.to ?? ""} className={field} />
        </label>
        <label className="flex flex-col">
          <span className="text-slate-600">Sort</span>
          <select name="sort" defaultValue={filter.sort} className={field}>
            <option value="newest">Newest first</option>
            <option value="oldest">Oldest first</option>
          </select>
        </label>
        <button type="submit" className="rounded-md bg-indigo-600 px-3 py-1.5 font-semibold text-white hover:bg-indigo-500">
          Apply
        </button>
      </form>
      <FilterProblem problem={problem} />
      <section className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
        <HistoryTable jobs={jobs} canCleanUp={user.role === "admin"} />
        {next ? (
          <Link href={nextLink(filter, next)} className="mt-3 inline-block text-sm text-indigo-700 hover:underline">
            Next page →
          </Link>
        ) : null}
      </section>
    </div>
  );
}
