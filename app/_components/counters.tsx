type Counts = { detected: number; downloaded: number; skipped: number; failed: number };

export function Counters({ counts, bytes }: { counts: Counts; bytes?: string }) {
  const cells: Array<[string, number | string, string]> = [
    ["Detected", counts.detected, "text-slate-900"],
    ["Downloaded", counts.downloaded, "text-emerald-700"],
    ["Skipped", counts.skipped, "text-slate-600"],
    ["Failed", counts.failed, "text-red-700"],
  ];
  if (bytes) cells.push(["Size", bytes, "text-slate-900"]);
  return (
    <dl className="flex flex-wrap gap-x-6 gap-y-1 text-sm">
      {cells.map(([label, value, color]) => (
        <div key={label} className="flex items-baseline gap-1.5">
          <dt className="text-slate-500">{label}</dt>
          <dd className={`font-semibold tabular-nums ${color}`} data-counter={label.toLowerCase()}>
            {value}
          </dd>
        </div>
      ))}
    </dl>
  );
}
