import { NextResponse } from "next/server";
import { config } from "@/lib/config";
import { db } from "@/lib/db";
import { cleanupOldJobs } from "@/lib/jobs/cleanup";

export const dynamic = "force-dynamic";

export async function POST() {
  return NextResponse.json(await cleanupOldJobs(db(), { olderThanDays: config().cleanup.afterDays }));
}
