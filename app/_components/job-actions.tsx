"use client";

import { useState, useTransition } from "react";
import { cancelJobAction, deleteJobAction, rerunJobAction, retryJobAction } from "@/app/actions";
import { isActiveJobStatus } from "@/lib/jobs/status";

type Outcome = { ok: true } | { ok: false; message: string } | undefined;

const buttonStyle = "rounded-md border bg-white px-3 py-1.5 text-sm font-medium disabled:opacity-60";

export function JobActions({ jobId, status, onChange }: { jobId: string; status: string; onChange: () => void }) {
  const [pending, start] = useTransition();
  const [message, setMessage] = useState<string | null>(null);
  const run = (action: () => Promise<Outcome>, confirmText?: string) =>
    start(async () => {
      if (confirmText && !window.confirm(confirmText)) return;
      const result = await action();
      setMessage(result && !result.ok ? result.message : null);
      onChange();
    });
  const active = isActiveJobStatus(status);
  const retryable = status === "failed" || status === "cancelled" || status === "completed_with_errors";
  return (
    <div className="flex flex-wrap items-center gap-2">
      {active ? (
        <button
          type="button"
          disabled={pending}
          onClick={() => run(() => cancelJobAction(jobId))}
          className={`${buttonStyle} border-red-300 text-red-700 hover:bg-red-50`}
        >
          Cancel
        </button>
      ) : null}
      {retryable ? (
        <button
          type="button"
          disabled={pending}
          onClick={() => run(() => retryJobAction(jobId))}
          className={`${buttonStyle} border-slate-300 hover:bg-slate-50`}
        >
          Retry failed
        </button>
      ) : null}
      <button
        type="button"
        disabled={pending}
        onClick={() => run(() => rerunJobAction(jobId))}
        className={`${buttonStyle} border-slate-300 hover:bg-slate-50`}
      >
        Re-run
      </button>
      {!active ? (
        <>
          <button
            type="button"
            disabled={pending}
            onClick={() => run(() => deleteJobAction(jobId, false), "Delete this job? Its files stay in Assets.")}
            className={`${buttonStyle} border-slate-300 hover:bg-slate-50`}
          >
            Delete
          </button>
          <button
            type="button"
            disabled={pending}
            onClick={() => run(() => deleteJobAction(jobId, true), "Delete this job and the files it downloaded?")}
            className={`${buttonStyle} border-red-300 text-red-700 hover:bg-red-50`}
          >
            Delete with files
          </button>
        </>
      ) : null}
      {message ? <span className="text-sm text-red-700">{message}</span> : null}
    </div>
  );
}
