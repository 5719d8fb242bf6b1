import { NextResponse } from "next/server";
import { sendEvent } from "@/inngest/send";
import { db } from "@/lib/db";
import { JobActionError, rerunJob } from "@/lib/jobs/control";
import { jsonError } from "@/lib/http/responses";

export const dynamic = "force-dynamic";

export async function POST(_request: Request, { params }: { params: Promise<{ id: string }> }) {
  try {
    const result = await rerunJob(db(), sendEvent, (await params).id);
    return NextResponse.json(result, { status: result.dispatched ? 201 : 502 });
  } catch (error) {
    if (error instanceof JobActionError) return jsonError(error.status, error.message);
    throw error;
  }
}
