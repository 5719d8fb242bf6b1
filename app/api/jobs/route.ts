import { NextResponse } from "next/server";
import { sendEvent } from "@/inngest/client";
import { db } from "@/lib/db";
import { createJob } from "@/lib/jobs/create";
import { createJobInput } from "@/lib/jobs/input";
import { countActiveJobs, jobListQuery, listJobs } from "@/lib/jobs/queries";
import { jobListVersion } from "@/lib/jobs/poll-version";
import { versionedJson } from "@/lib/http/conditional";
import { withUser } from "@/lib/http/guard";
import { invalidInput, readJsonBody } from "@/lib/http/responses";

export const dynamic = "force-dynamic";

export const GET = withUser(async (request, user) => {
  const parsed = jobListQuery.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!parsed.success) return invalidInput(parsed.error);
  const version = await jobListVersion(db(), user.id, parsed.data);
  return versionedJson(request, version, async () => {
    const [jobs, active] = await Promise.all([listJobs(db(), user.id, parsed.data), countActiveJobs(db(), user.id)]);
    return { active, jobs };
  });
});

export const POST = withUser(async (request, user) => {
  const body = await readJsonBody(request);
  if (!body.ok) return body.response;
  const parsed = createJobInput.safeParse(body.body);
  if (!parsed.success) return invalidInput(parsed.error);
  const result = await createJob(db(), sendEvent, user.id, parsed.data);
  const status = result.dispatched ? 201 : 502;
  return NextResponse.json(result, { status, headers: { Location: `/api/jobs/${result.jobId}` } });
});
