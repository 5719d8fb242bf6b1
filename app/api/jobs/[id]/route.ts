import { NextResponse } from "next/server";
import { z } from "zod";
import { db } from "@/lib/db";
import { deleteJob } from "@/lib/jobs/control";
import { getJobDetail } from "@/lib/jobs/queries";
import { jobDetailVersion } from "@/lib/jobs/poll-version";
import { versionedJson } from "@/lib/http/conditional";
import { storage } from "@/lib/storage";
import { withUser } from "@/lib/http/guard";
import { respondToJobAction } from "@/lib/http/job-action";
import { invalidInput, jsonError } from "@/lib/http/responses";

export const dynamic = "force-dynamic";

type Params = { params: Promise<{ id: string }> };

export const GET = withUser<Params>(async (request, user, { params }) => {
  const { id } = await params;
  const version = await jobDetailVersion(db(), user.id, id);
  if (version === null) return jsonError(404, "Job not found");
  return versionedJson(request, version, async () => (await getJobDetail(db(), user.id, id)) ?? jsonError(404, "Job not found"));
});

const deleteQuery = z.object({ assets: z.enum(["0", "1"]).default("0") });

/** DELETE /api/jobs/:id?assets=1 also deletes the assets the job stored. */
export const DELETE = withUser<Params>(async (request, user, { params }) => {
  const parsed = deleteQuery.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!parsed.success) return invalidInput(parsed.error);
  const { id } = await params;
  return respondToJobAction(
    () => deleteJob(db(), storage(), user.id, id, { withAssets: parsed.data.assets === "1" }),
    (result) => NextResponse.json(result),
  );
});
