import Link from "next/link";
import type { JobSummary } from "@/lib/jobs/queries";
import { Counters } from "./counters";
import { formatBytes } from "./format";
import { ProgressBar } from "./progress-bar";
import { StatusChip } from "./status-chip";
import { Thumbnails } from "./thumbnails";

export function jobTitle(job: Pick<JobSummary, "query" | "targetUrls">) {
  if (job.query) return job.query;
  const first = job.targetUrls[0] ?? "job";
  return job.targetUrls.length > 1 ? `${first} (+${job.targetUrls.length - 1})` : first;
}

export function JobCard({ job }: { job: JobSummary }) {
  return (
    <article className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm" aria-label={`Job ${jobTitle(job)}`} data-job-id={job.id}>
      <div className="flex flex-wrap items-center justify-between gap-2">
        <Link href={`/jobs/${job.id}`} className="truncate text-base font-semibold text-slate-900 hover:text-indigo-700">
          {jobTitle(job)}
        </Link>
        <div className="flex items-center gap-2">
          <span className="text-sm tabular-nums text-slate-600">{job.percent}%</span>
          <StatusChip status={job.status} />
        </div>
      </div>
      <div className="mt-3">
        <ProgressBar percent={job.percent} label={`Progress of ${jobTitle(job)}`} />
      </div>
      <ul className="mt-3 flex flex-wrap gap-2" aria-label="Sources">
        {job.sources.map((s) => (
          <li key={s.sourceId} title={s.error ?? s.message ?? undefined}>
            <StatusChip status={s.status} label={`${s.name} ${s.downloaded}/${s.detected}`} />
          </li>
        ))}
      </ul>
      <div className="mt-3">
        <Counters counts={job} bytes={formatBytes(job.bytes)} />
      </div>
      {job.currentItem ? (
        <p className="mt-2 truncate text-sm text-slate-600">
          Now: <span className="font-medium text-slate-800">{job.currentItem}</span>
        </p>
      ) : null}
      {job.error ? <p className="mt-2 text-sm text-red-700">{job.error}</p> : null}
      <div className="mt-3">
        <Thumbnails files={job.recentFiles} />
      </div>
    </article>
  );
}
