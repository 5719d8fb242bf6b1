import { Suspense } from "react";
import { db } from "@/lib/db";
import { pageUser } from "@/lib/auth/page-user";
import { countActiveJobs, listJobs } from "@/lib/jobs/queries";
import { catalogWithHealth, categoryLabels } from "@/lib/sources/catalog-view";
import { dashboardStats } from "@/lib/stats";
import { ActiveJobs } from "./_components/active-jobs";
import { RecentJobs } from "./_components/recent-jobs";
import { SearchForm } from "./_components/search-form";
import { StatsPanel } from "./_components/stats-panel";

export const dynamic = "force-dynamic";

const Placeholder = ({ label }: { label: string }) => (
  <div role="status" className="h-40 animate-pulse rounded-lg border border-slate-200 bg-white p-4 text-sm text-slate-400 shadow-sm">
    Loading {label}…
  </div>
);

/** The statistics aggregate every job and file of the user: they stream in after the rest of the page. */
async function Statistics({ userId }: { userId: string }) {
  return <StatsPanel fallback={await dashboardStats(db(), userId)} />;
}

async function Recent({ userId }: { userId: string }) {
  const [recent, activeCount] = await Promise.all([listJobs(db(), userId, { limit: 15 }), countActiveJobs(db(), userId)]);
  return <RecentJobs fallback={{ active: activeCount, jobs: recent }} />;
}

export default async function DashboardPage() {
  const user = await pageUser();
  const [active, activeCount, catalog] = await Promise.all([
    listJobs(db(), user.id, { status: "active", limit: 50 }),
    countActiveJobs(db(), user.id),
    catalogWithHealth(db()),
  ]);
  return (
    <div className="grid gap-6 lg:grid-cols-[1fr_22rem]">
      <div className="space-y-6">
        <ActiveJobs fallback={{ active: activeCount, jobs: active }} />
        <SearchForm sources={catalog.filter((s) => s.enabled)} categoryLabels={categoryLabels} />
      </div>
      <div className="space-y-6">
        <Suspense fallback={<Placeholder label="statistics" />}>
          <Statistics userId={user.id} />
        </Suspense>
        <Suspense fallback={<Placeholder label="recent jobs" />}>
          <Recent userId={user.id} />
        </Suspense>
      </div>
    </div>
  );
}
