"use client";

import useSWR from "swr";
import type { JobSummary } from "@/lib/jobs/queries";
import { fetchJson } from "./fetcher";
import { JobCard } from "./job-card";

export const ACTIVE_JOBS_KEY = "/api/jobs?status=active";
type Response = { active: number; jobs: JobSummary[] };

export function ActiveJobs({ fallback }: { fallback: Response }) {
  const { data, error } = useSWR<Response>(ACTIVE_JOBS_KEY, fetchJson, { refreshInterval: 2000, fallbackData: fallback });
  const jobs = data?.jobs ?? [];
  const count = jobs.length;
  return (
    <section aria-labelledby="active-heading">
      <h1 id="active-heading" className="text-2xl font-bold tracking-tight">
        {count} Active Download{count === 1 ? "" : "s"}
      </h1>
      {error ? <p className="mt-2 rounded bg-red-50 p-2 text-sm text-red-700">Could not refresh: {error.message}</p> : null}
      <div className="mt-4 grid gap-4">
        {jobs.map((job) => (
          <JobCard key={job.id} job={job} />
        ))}
        {count === 0 ? <p className="text-sm text-slate-500">Nothing is downloading. Start a search below.</p> : null}
      </div>
    </section>
  );
}
