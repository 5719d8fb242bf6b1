import { healthContext } from "@/server/health-context";
import { config } from "@/lib/config";
import { db } from "@/lib/db";
import { pageUser } from "@/lib/auth/page-user";
import { healthSummary, runHealthChecks } from "@/lib/health";
import { HealthChecks } from "@/app/_components/health-checks";

export const dynamic = "force-dynamic";

export default async function HealthPage() {
  const user = await pageUser();
  const report = await runHealthChecks(db(), config(), healthContext());
  return (
    <div className="max-w-3xl space-y-4">
      <h1 className="text-2xl font-bold tracking-tight">Health</h1>
      <p className={`rounded-md p-3 text-sm font-medium ${report.ok ? "bg-emerald-50 text-emerald-800" : "bg-red-50 text-red-800"}`}>
        {report.ok ? "Everything Trawl needs is working." : "Something Trawl needs is broken: see the failed checks below."}
      </p>
      <section className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
        <HealthChecks checks={user.role === "admin" ? report.checks : healthSummary(report).checks} />
      </section>
      <p className="text-xs text-slate-500">The same report: GET /api/health, or npm run doctor from a shell.</p>
    </div>
  );
}
