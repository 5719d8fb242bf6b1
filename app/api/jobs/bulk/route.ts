import { NextResponse } from "next/server";
import { sendEvent } from "@/inngest/client";
import { db } from "@/lib/db";
import { bulkAction, bulkJobs } from "@/lib/jobs/control";
import { storage } from "@/lib/storage";
import { withUser } from "@/lib/http/guard";
import { invalidInput, readJsonBody } from "@/lib/http/responses";

export const dynamic = "force-dynamic";

export const POST = withUser(async (request, user) => {
  const body = await readJsonBody(request);
  if (!body.ok) return body.response;
  const parsed = bulkAction.safeParse(body.body);
  if (!parsed.success) return invalidInput(parsed.error);
  return NextResponse.json({ results: await bulkJobs(db(), sendEvent, storage(), user.id, parsed.data) });
});
