import { sendEvent } from "@/inngest/send";
import { db } from "@/lib/db";
import { cancelJob } from "@/lib/jobs/control";
import { respondToJobAction } from "@/lib/http/job-action";

export const dynamic = "force-dynamic";

export async function POST(_request: Request, { params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return respondToJobAction(cancelJob, db(), sendEvent, id);
}
