import { sendEvent } from "@/inngest/client";
import { db } from "@/lib/db";
import { retryJob } from "@/lib/jobs/control";
import { withUser } from "@/lib/http/guard";
import { jobActionResult, respondToJobAction } from "@/lib/http/job-action";

export const dynamic = "force-dynamic";

export const POST = withUser<{ params: Promise<{ id: string }> }>(async (_request, user, { params }) => {
  const { id } = await params;
  return respondToJobAction(() => retryJob(db(), sendEvent, user.id, id), jobActionResult(id));
});
