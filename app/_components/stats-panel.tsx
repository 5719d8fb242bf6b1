"use client";

import useSWR from "swr";
import type { DashboardStats } from "@/lib/stats";
import { fetchJson } from "./fetcher";
import { formatBytes } from "./format";
import { RateChart } from "./rate-chart";

export function StatsPanel({ fallback }: { fallback: DashboardStats }) {
  const { data, error } = useSWR<DashboardStats>("/api/stats", fetchJson, { refreshInterval: 5000, fallbackData: fallback });
  const stats = data ?? fallback;
  const periods: Array<[string, DashboardStats["totals"]["all"]]> = [
    ["Today", stats.totals.today],
    ["7 days", stats.totals.week],
    ["All time", stats.totals.all],
  ];
  return (
    <section aria-labelledby="stats-heading" className="space-y-3 rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
      <h2 id="stats-heading" className="text-lg font-semibold">
        Statistics
      </h2>
      {error ? <p className="text-sm text-red-700">Could not refresh: {error.message}</p> : null}
      <table className="w-full text-sm" aria-label="Totals">
        <thead className="text-slate-500">
          <tr>
            <th className="text-left font-medium"></th>
            <th className="text-right font-medium">Jobs</th>
            <th className="text-right font-medium">Files</th>
            <th className="text-right font-medium">Size</th>
          </tr>
        </thead>
        <tbody>
          {periods.map(([label, totals]) => (
            <tr key={label}>
              <th className="text-left font-medium">{label}</th>
              <td className="text-right tabular-nums">{totals.jobs}</td>
              <td className="text-right tabular-nums">{totals.files}</td>
              <td className="text-right tabular-nums">{formatBytes(totals.bytes)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="text-sm">
        Success rate: <span className="font-semibold">{stats.successRate === null ? "—" : `${Math.round(stats.successRate * 100)}%`}</span>
      </p>
      <RateChart buckets={stats.rate} />
      {stats.perSource.length ? (
        <ul className="space-y-1 text-xs" aria-label="Per-source results">
          {stats.perSource.slice(0, 8).map((s) => (
            <li key={s.sourceId} className="flex justify-between">
              <span className="truncate">{s.name}</span>
              <span className="tabular-nums">
                <span className="text-emerald-700">{s.downloaded} ok</span> · <span className="text-red-700">{s.failed} failed</span>
              </span>
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}
