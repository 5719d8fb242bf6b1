import type { Check } from "@/lib/health";

export function HealthChecks({ checks }: { checks: Check[] }) {
  return (
    <ul className="divide-y divide-slate-100" aria-label="Health checks">
      {checks.map((check) => (
        <li key={check.name} className="flex gap-3 py-2 text-sm" data-check={check.name} data-ok={check.ok}>
          <span aria-hidden className={check.ok ? "text-emerald-600" : "text-red-600"}>
            {check.ok ? "✓" : "✗"}
          </span>
          <div className="min-w-0">
            <p className="font-medium">{check.name}</p>
            <p className="break-words text-slate-600">{check.detail}</p>
            {check.fix ? <p className="text-red-700">Fix: {check.fix}</p> : null}
          </div>
        </li>
      ))}
    </ul>
  );
}
