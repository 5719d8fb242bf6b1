import { NextResponse } from "next/server";
import { db } from "@/lib/db";
import { getJobDetail } from "@/lib/jobs/queries";
import { jsonError } from "@/lib/http/responses";

export const dynamic = "force-dynamic";

export async function GET(_request: Request, { params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const job = await getJobDetail(db(), id);
  return job ? NextResponse.json(job) : jsonError(404, "Job not found");
}
