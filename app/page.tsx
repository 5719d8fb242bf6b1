import { Suspense } from "react";
import { db } from "@/lib/db";
import { pageUser } from "@/lib/auth/page-user";
import { countActiveJobs, listJobs } from "@/lib/jobs/queries";
import { catalogWithHealth, categoryLabels } from "@/lib/sources/catalog-view";
import { ActiveJobs } from "./_components/active-jobs";
import { RecentJobsSection, SectionPlaceholder, StatsSection } from "./_components/dashboard-sections";
import { SearchForm } from "./_components/search-form";

export const dynamic = "force-dynamic";

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
        <Suspense fallback={<SectionPlaceholder id="stats" title="Statistics" />}>
          <StatsSection userId={user.id} />
        </Suspense>
        <Suspense fallback={<SectionPlaceholder id="recent" title="Recent jobs" />}>
          <RecentJobsSection userId={user.id} />
        </Suspense>
      </div>
    </div>
  );
}
