import { sendEvent } from "@/inngest/send";
import { db } from "@/lib/db";
import { retryJob } from "@/lib/jobs/control";
import { respondToJobAction } from "@/lib/http/job-action";

export const dynamic = "force-dynamic";

export async function POST(_request: Request, { params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return respondToJobAction(retryJob, db(), sendEvent, id);
}
