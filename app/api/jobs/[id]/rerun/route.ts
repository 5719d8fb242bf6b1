import { NextResponse } from "next/server";
import { sendEvent } from "@/inngest/client";
import { db } from "@/lib/db";
import { rerunJob } from "@/lib/jobs/control";
import { withUser } from "@/lib/http/guard";
import { respondToJobAction } from "@/lib/http/job-action";

export const dynamic = "force-dynamic";

export const POST = withUser<{ params: Promise<{ id: string }> }>(async (_request, user, { params }) => {
  const { id } = await params;
  return respondToJobAction(
    () => rerunJob(db(), sendEvent, user.id, id),
    (result) => NextResponse.json(result, { status: result.dispatched ? 201 : 502 }),
  );
});
