import { notFound } from "next/navigation";
import { db } from "@/lib/db";
import { getJobDetail } from "@/lib/jobs/queries";
import { JobView } from "@/app/_components/job-view";

export const dynamic = "force-dynamic";

export default async function JobPage({ params }: { params: Promise<{ id: string }> }) {
  const job = await getJobDetail(db(), (await params).id);
  if (!job) notFound();
  return <JobView fallback={job} />;
}
