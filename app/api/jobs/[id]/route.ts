import { NextResponse } from "next/server";
import { z } from "zod";
import { db } from "@/lib/db";
import { deleteJob, JobActionError } from "@/lib/jobs/control";
import { getJobDetail } from "@/lib/jobs/queries";
import { storage } from "@/lib/storage";
import { invalidInput, jsonError } from "@/lib/http/responses";

export const dynamic = "force-dynamic";

export async function GET(_request: Request, { params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const job = await getJobDetail(db(), id);
  return job ? NextResponse.json(job) : jsonError(404, "Job not found");
}

const deleteQuery = z.object({ assets: z.enum(["0", "1"]).default("0") });

/** DELETE /api/jobs/:id?assets=1 also deletes the assets the job stored. */
export async function DELETE(request: Request, { params }: { params: Promise<{ id: string }> }) {
  const parsed = deleteQuery.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!parsed.success) return invalidInput(parsed.error);
  try {
    return NextResponse.json(await deleteJob(db(), storage(), (await params).id, { withAssets: parsed.data.assets === "1" }));
  } catch (error) {
    if (error instanceof JobActionError) return jsonError(error.status, error.message);
    throw error;
  }
}
