"use client";

import Link from "next/link";
import { useState } from "react";
import useSWR from "swr";
import type { JobDetail } from "@/lib/jobs/queries";
import { Counters } from "./counters";
import { fetchJson } from "./fetcher";
import { formatBytes, formatTime } from "./format";
import { JobActions } from "./job-actions";
import { jobTitle } from "./job-card";
import { ProgressBar } from "./progress-bar";
import { StatusChip } from "./status-chip";
import { Thumbnails } from "./thumbnails";
import { isActiveJobStatus } from "@/lib/jobs/status";
import { numeric, TableHead } from "@/app/_components/table-head";

const levelColor: Record<string, string> = { info: "text-slate-700", warn: "text-amber-700", error: "text-red-700" };

const levels = ["all", "info", "warn", "error"] as const;

export function JobView({ fallback, engineDashboardUrl }: { fallback: JobDetail; engineDashboardUrl: string | null }) {
  const [level, setLevel] = useState<(typeof levels)[number]>("all");
  const [source, setSource] = useState<string>("all");
  const key = `/api/jobs/${fallback.id}`;
  const { data, error, mutate } = useSWR<JobDetail>(key, fetchJson, {
    fallbackData: fallback,
    refreshInterval: (latest) => (latest && isActiveJobStatus(latest.status) ? 1000 : 0),
  });
  const job = data ?? fallback;
  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-start justify-between gap-4">
        <div>
          <p className="text-sm text-slate-500">
            <Link href="/" className="hover:underline">
              Dashboard
            </Link>{" "}
            / Job
          </p>
          <h1 className="text-2xl font-bold tracking-tight">{jobTitle(job)}</h1>
          <p className="mt-1 text-sm text-slate-500">
            {job.mediaTypes}, up to {job.maxItems} per source{job.safeSearch ? ", safe search" : ""} · created {formatTime(job.createdAt)}
            {job.engineRunId ? (
              <>
                {" · engine run "}
                {engineDashboardUrl ? (
                  <a
                    href={`${engineDashboardUrl}/run?runID=${job.engineRunId}`}
                    target="_blank"
                    rel="noreferrer"
                    className="text-indigo-700 hover:underline"
                  >
                    {job.engineRunId}
                  </a>
                ) : (
                  job.engineRunId
                )}
              </>
            ) : null}
          </p>
        </div>
        <div className="flex items-center gap-3">
          <StatusChip status={job.status} />
          <JobActions jobId={job.id} status={job.status} onChange={() => void mutate()} />
        </div>
      </div>
      {error ? <p className="rounded bg-red-50 p-2 text-sm text-red-700">Could not refresh: {error.message}</p> : null}
      {job.error ? <p className="rounded bg-red-50 p-3 text-sm text-red-800">{job.error}</p> : null}

      <section className="space-y-3 rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
        <div className="flex items-center gap-3">
          <ProgressBar percent={job.percent} label="Job progress" />
          <span className="w-12 text-right text-sm tabular-nums">{job.percent}%</span>
        </div>
        <Counters counts={job} bytes={formatBytes(job.bytes)} />
        {job.currentItem ? <p className="truncate text-sm text-slate-600">Now: {job.currentItem}</p> : null}
        <Thumbnails files={job.recentFiles} size="h-20 w-20" />
      </section>

      <section className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
        <h2 className="text-lg font-semibold">Sources</h2>
        <table className="mt-2 w-full text-left text-sm">
          <TableHead
            columns={[
              "Source",
              "Status",
              numeric("Pages"),
              numeric("Detected"),
              numeric("Downloaded"),
              numeric("Skipped"),
              numeric("Failed"),
            ]}
          />
          <tbody className="divide-y divide-slate-100">
            {job.sources.map((s) => (
              <tr key={s.sourceId} data-source={s.sourceId}>
                <td className="py-1.5">
                  {s.name}
                  {s.error ? <span className="block text-xs text-red-700">{s.error}</span> : null}
                  {s.message ? <span className="block text-xs text-slate-500">{s.message}</span> : null}
                </td>
                <td className="py-1.5">
                  <StatusChip status={s.status} />
                </td>
                <td className="py-1.5 text-right tabular-nums">{s.pagesSearched}</td>
                <td className="py-1.5 text-right tabular-nums">{s.detected}</td>
                <td className="py-1.5 text-right tabular-nums">{s.downloaded}</td>
                <td className="py-1.5 text-right tabular-nums">{s.skipped}</td>
                <td className="py-1.5 text-right tabular-nums">{s.failed}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>

      <div className="grid gap-6 lg:grid-cols-2">
        <section className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm" aria-labelledby="log-heading">
          <div className="flex items-center justify-between">
            <h2 id="log-heading" className="text-lg font-semibold">
              Event log
            </h2>
            <div className="flex gap-2">
              <label className="text-xs text-slate-600">
                Source{" "}
                <select
                  value={source}
                  onChange={(e) => setSource(e.currentTarget.value)}
                  className="rounded border border-slate-300 px-1 py-0.5"
                  aria-label="Event source"
                >
                  <option value="all">all</option>
                  {job.sources.map((s) => (
                    <option key={s.sourceId} value={s.sourceId}>
                      {s.name}
                    </option>
                  ))}
                </select>
              </label>
              <label className="text-xs text-slate-600">
                Show{" "}
                <select
                  value={level}
                  onChange={(e) => setLevel(e.currentTarget.value as typeof level)}
                  className="rounded border border-slate-300 px-1 py-0.5"
                  aria-label="Event level"
                >
                  {levels.map((l) => (
                    <option key={l} value={l}>
                      {l}
                    </option>
                  ))}
                </select>
              </label>
            </div>
          </div>
          <ol className="mt-2 max-h-96 space-y-1 overflow-y-auto font-mono text-xs" aria-label="Event log">
            {job.events
              .filter((event) => (level === "all" || event.level === level) && (source === "all" || event.sourceId === source))
              .map((event) => (
                <li key={event.id} className={levelColor[event.level] ?? ""}>
                  <span className="text-slate-400">{new Date(event.createdAt ?? "").toLocaleTimeString()}</span> {event.message}
                </li>
              ))}
          </ol>
        </section>
        <section className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm" aria-labelledby="items-heading">
          <h2 id="items-heading" className="text-lg font-semibold">
            Items ({job.detected})
            {job.failed ? <span className="ml-2 text-sm font-normal text-red-700">{job.failed} failed, listed first</span> : null}
            {job.items.length < job.detected ? (
              <span className="ml-2 text-sm font-normal text-slate-500">showing {job.items.length}</span>
            ) : null}
          </h2>
          <ul className="mt-2 max-h-96 divide-y divide-slate-100 overflow-y-auto text-sm">
            {job.items.map((item) => (
              <li key={item.id} className="flex items-center justify-between gap-2 py-1.5">
                <div className="min-w-0">
                  {item.assetId ? (
                    <Link href={`/assets/${item.assetId}`} className="block truncate hover:text-indigo-700">
                      {item.title ?? item.mediaUrl}
                    </Link>
                  ) : (
                    <span className="block truncate">{item.title ?? item.mediaUrl}</span>
                  )}
                  {item.reason ? <span className="block truncate text-xs text-slate-500">{item.reason}</span> : null}
                </div>
                <StatusChip status={item.status} />
              </li>
            ))}
          </ul>
        </section>
      </div>
    </div>
  );
}
