"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { bulkJobsAction, cleanupAction } from "@/app/actions";
import type { HistoryRow } from "@/lib/jobs/history";
import { formatBytes, formatTime } from "./format";
import { StatusChip } from "./status-chip";
import { numeric, TableHead } from "@/app/_components/table-head";

const title = (job: HistoryRow) => job.query || job.targetUrls[0] || job.id;

type BulkAction = "cancel" | "delete" | "delete-with-assets";

const BULK_BUTTONS: { action: BulkAction; label: string; danger?: boolean }[] = [
  { action: "cancel", label: "Cancel selected" },
  { action: "delete", label: "Delete selected" },
  { action: "delete-with-assets", label: "Delete selected with files", danger: true },
];

export function HistoryTable({ jobs, canCleanUp }: { jobs: HistoryRow[]; canCleanUp: boolean }) {
  const router = useRouter();
  const [selected, setSelected] = useState<string[]>([]);
  const [message, setMessage] = useState<string | null>(null);
  const [pending, start] = useTransition();
  const toggle = (id: string) => setSelected((s) => (s.includes(id) ? s.filter((x) => x !== id) : [...s, id]));
  const bulk = (action: BulkAction) =>
    start(async () => {
      const results = await bulkJobsAction({ action, ids: selected });
      const refused = results.filter((r) => !r.ok);
      setMessage(
        refused.length
          ? refused.map((r) => `${r.jobId}: ${r.message}`).join("; ")
          : `${results.length} job(s): ${action.replaceAll("-", " ")} done`,
      );
      setSelected([]);
      router.refresh();
    });
  const cleanup = () =>
    start(async () => {
      const outcome = await cleanupAction();
      setMessage(
        outcome.ok
          ? `Clean-up removed ${outcome.report.removedJobs} finished job(s) created before ${formatTime(outcome.report.olderThan)}`
          : outcome.message,
      );
      router.refresh();
    });
  return (
    <div className="space-y-2">
      <div className="flex flex-wrap items-center gap-2 text-sm">
        <span className="text-slate-500">{selected.length} selected</span>
        {BULK_BUTTONS.map(({ action, label, danger }) => (
          <button
            key={action}
            type="button"
            disabled={pending || !selected.length}
            onClick={() => bulk(action)}
            className={`rounded-md border bg-white px-2 py-1 disabled:opacity-50 ${danger ? "border-red-300 text-red-700" : "border-slate-300"}`}
          >
            {label}
          </button>
        ))}
        {canCleanUp ? (
          <button
            type="button"
            disabled={pending}
            onClick={cleanup}
            className="ml-auto rounded-md border border-slate-300 bg-white px-2 py-1"
          >
            Clean up now
          </button>
        ) : null}
      </div>
      {message ? (
        <p className="text-sm text-slate-700" role="status">
          {message}
        </p>
      ) : null}
      <table className="w-full text-left text-sm">
        <TableHead
          lead={
            <th className="w-8 py-1">
              <input
                type="checkbox"
                aria-label="Select all"
                checked={jobs.length > 0 && selected.length === jobs.length}
                onChange={(e) => setSelected(e.currentTarget.checked ? jobs.map((j) => j.id) : [])}
              />
            </th>
          }
          columns={["Job", "Status", numeric("Downloaded"), numeric("Failed"), numeric("Size"), "Created"]}
        />
        <tbody className="divide-y divide-slate-100">
          {jobs.map((job) => (
            <tr key={job.id} data-job-id={job.id}>
              <td className="py-1.5">
                <input
                  type="checkbox"
                  aria-label={`Select ${title(job)}`}
                  checked={selected.includes(job.id)}
                  onChange={() => toggle(job.id)}
                />
              </td>
              <td className="max-w-md py-1.5">
                <Link href={`/jobs/${job.id}`} className="block truncate font-medium hover:text-indigo-700">
                  {title(job)}
                </Link>
                <span className="block truncate text-xs text-slate-500">{job.sources.join(", ")}</span>
              </td>
              <td className="py-1.5">
                <StatusChip status={job.status} />
              </td>
              <td className="py-1.5 text-right tabular-nums">{job.downloaded}</td>
              <td className="py-1.5 text-right tabular-nums">{job.failed}</td>
              <td className="py-1.5 text-right tabular-nums">{formatBytes(job.bytes)}</td>
              <td className="py-1.5 text-xs text-slate-500">{formatTime(job.createdAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {jobs.length === 0 ? <p className="text-sm text-slate-500">No jobs match.</p> : null}
    </div>
  );
}
