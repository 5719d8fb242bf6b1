import { notFound } from "next/navigation";
import { db } from "@/lib/db";
import { pageUser } from "@/lib/auth/page-user";
import { getJobDetail } from "@/lib/jobs/queries";
import { JobView } from "@/app/_components/job-view";
import { config } from "@/lib/config";

/** Where a person can inspect engine runs: the Dev Server's UI, or Inngest Cloud. The offline engine has none. */
function engineDashboardUrl() {
  const { engine } = config();
  if (engine.mode === "dev") return engine.baseUrl ?? null;
  if (engine.mode === "cloud") return engine.baseUrl ?? "https://app.inngest.com";
  return null;
}

export const dynamic = "force-dynamic";

export default async function JobPage({ params }: { params: Promise<{ id: string }> }) {
  const user = await pageUser();
  const job = await getJobDetail(db(), user.id, (await params).id);
  if (!job) notFound();
  return <JobView fallback={job} engineDashboardUrl={engineDashboardUrl()} />;
}
