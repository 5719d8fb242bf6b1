"use client";

import Link from "next/link";
import useSWR from "swr";
import type { HealthReport } from "@/lib/health";

/** Shown on every page while a health check fails. /api/health answers 503 then, with the report. */
async function fetchHealth(url: string): Promise<HealthReport> {
  const response = await fetch(url, { cache: "no-store" });
  return (await response.json()) as HealthReport;
}

export function HealthBanner() {
  const { data, error } = useSWR<HealthReport>("/api/health", fetchHealth, { refreshInterval: 10_000 });
  const failing = data?.checks.filter((c) => !c.ok) ?? [];
  if (!error && failing.length === 0) return null;
  return (
    <div role="alert" aria-label="Health problems" className="border-b border-red-200 bg-red-50">
      <div className="mx-auto max-w-7xl px-4 py-2 text-sm text-red-800">
        {error ? (
          <p>Trawl&apos;s health check cannot be reached: {error.message}</p>
        ) : (
          <ul>
            {failing.map((check) => (
              <li key={check.name}>
                <span className="font-semibold">{check.name}:</span> {check.detail}
                {check.fix ? ` — ${check.fix}` : ""}
              </li>
            ))}
          </ul>
        )}
        <Link href="/health" className="underline">
          Open the health page
        </Link>
      </div>
    </div>
  );
}
