"use client";

import Link from "next/link";
import useSWR from "swr";
import type { JobSummary } from "@/lib/jobs/queries";
import { fetchJson } from "./fetcher";
import { formatTime } from "./format";
import { jobTitle } from "./job-card";
import { StatusChip } from "./status-chip";

export const RECENT_JOBS_KEY = "/api/jobs?limit=15";
type Response = { active: number; jobs: JobSummary[] };

export function RecentJobs({ fallback }: { fallback: Response }) {
  const { data, error } = useSWR<Response>(RECENT_JOBS_KEY, fetchJson, { refreshInterval: 4000, fallbackData: fallback });
  const jobs = data?.jobs ?? [];
  return (
    <section aria-labelledby="recent-heading" className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
      <h2 id="recent-heading" className="text-lg font-semibold">
        Recent jobs
      </h2>
      {error ? <p className="mt-2 text-sm text-red-700">Could not refresh: {error.message}</p> : null}
      {jobs.length === 0 ? <p className="mt-2 text-sm text-slate-500">No jobs yet.</p> : null}
      <ul className="mt-2 divide-y divide-slate-100">
        {jobs.map((job) => (
          <li key={job.id} className="flex items-center justify-between gap-2 py-2 text-sm">
            <div className="min-w-0">
              <Link href={`/jobs/${job.id}`} className="block truncate font-medium hover:text-indigo-700">
                {jobTitle(job)}
              </Link>
              <span className="text-xs text-slate-500">
                {formatTime(job.createdAt)} · {job.downloaded} downloaded
                {job.failed ? ` · ${job.failed} failed` : ""}
              </span>
              {job.error ? <span className="block truncate text-xs text-red-700">{job.error}</span> : null}
            </div>
            <StatusChip status={job.status} />
          </li>
        ))}
      </ul>
    </section>
  );
}
