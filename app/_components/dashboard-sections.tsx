import { db } from "@/lib/db";
import { listJobs, countActiveJobs } from "@/lib/jobs/queries";
import { dashboardStats } from "@/lib/stats";
import { Panel } from "./panel";
import { RecentJobs } from "./recent-jobs";
import { StatsPanel } from "./stats-panel";

// The dashboard's slower parts, each reading its own data: the page streams them behind
// Suspense, so the active jobs and the search form show (and work) before they arrive.

export async function StatsSection({ userId }: { userId: string }) {
  return <StatsPanel fallback={await dashboardStats(db(), userId)} />;
}

export async function RecentJobsSection({ userId }: { userId: string }) {
  const [recent, active] = await Promise.all([listJobs(db(), userId, { limit: 15 }), countActiveJobs(db(), userId)]);
  return <RecentJobs fallback={{ active, jobs: recent }} />;
}

/** What a section shows while its data is on the way. */
export function SectionPlaceholder({ id, title }: { id: string; title: string }) {
  return (
    <Panel id={id} title={title}>
      <p className="mt-2 text-sm text-slate-500" role="status">
        Loading…
      </p>
    </Panel>
  );
}
