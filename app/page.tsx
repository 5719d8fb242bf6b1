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

export default async function DashboardPage() {
  const user = await pageUser();
  const [active, recent, activeCount, catalog, stats] = await Promise.all([
    listJobs(db(), user.id, { status: "active", limit: 50 }),
    listJobs(db(), user.id, { limit: 15 }),
    countActiveJobs(db(), user.id),
    catalogWithHealth(db()),
    dashboardStats(db(), user.id),
  ]);
  return (
    <div className="grid gap-6 lg:grid-cols-[1fr_22rem]">
      <div className="space-y-6">
        <ActiveJobs fallback={{ active: activeCount, jobs: active }} />
        <SearchForm sources={catalog.filter((s) => s.enabled)} categoryLabels={categoryLabels} />
      </div>
      <div className="space-y-6">
        <StatsPanel fallback={stats} />
        <RecentJobs fallback={{ active: activeCount, jobs: recent }} />
      </div>
    </div>
  );
}
