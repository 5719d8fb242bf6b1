import { statusLabel } from "./format";

const colors: Record<string, string> = {
  queued: "bg-slate-100 text-slate-700 ring-slate-300",
  running: "bg-blue-50 text-blue-700 ring-blue-300",
  searching: "bg-blue-50 text-blue-700 ring-blue-300",
  downloading: "bg-blue-50 text-blue-700 ring-blue-300",
  completed: "bg-emerald-50 text-emerald-700 ring-emerald-300",
  downloaded: "bg-emerald-50 text-emerald-700 ring-emerald-300",
  completed_with_errors: "bg-amber-50 text-amber-800 ring-amber-300",
  skipped: "bg-slate-100 text-slate-600 ring-slate-300",
  pending: "bg-slate-100 text-slate-600 ring-slate-300",
  failed: "bg-red-50 text-red-700 ring-red-300",
  cancelled: "bg-zinc-100 text-zinc-600 ring-zinc-300",
};

export function StatusChip({ status, label }: { status: string; label?: string }) {
  return (
    <span
      className={`inline-flex items-center gap-1 rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${colors[status] ?? colors.queued}`}
      data-status={status}
    >
      {label ? <span className="font-semibold">{label}</span> : null}
      {statusLabel(status)}
    </span>
  );
}
