"use client";

import { useState, useTransition } from "react";
import { cancelJobAction, retryJobAction } from "@/app/actions";

export function JobActions({ jobId, status, onChange }: { jobId: string; status: string; onChange: () => void }) {
  const [pending, start] = useTransition();
  const [message, setMessage] = useState<string | null>(null);
  const run = (action: typeof cancelJobAction) =>
    start(async () => {
      const result = await action(jobId);
      setMessage(result.ok ? null : result.message);
      onChange();
    });
  const active = status === "queued" || status === "running";
  const retryable = status === "failed" || status === "cancelled" || status === "completed_with_errors";
  return (
    <div className="flex items-center gap-2">
      {active ? (
        <button type="button" disabled={pending} onClick={() => run(cancelJobAction)} className="rounded-md border border-red-300 bg-white px-3 py-1.5 text-sm font-medium text-red-700 hover:bg-red-50 disabled:opacity-60">
          Cancel
        </button>
      ) : null}
      {retryable ? (
        <button type="button" disabled={pending} onClick={() => run(retryJobAction)} className="rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium hover:bg-slate-50 disabled:opacity-60">
          Retry
        </button>
      ) : null}
      {message ? <span className="text-sm text-red-700">{message}</span> : null}
    </div>
  );
}
