import { NextResponse } from "next/server";
import { healthContext } from "@/inngest/health-context";
import { config } from "@/lib/config";
import { db } from "@/lib/db";
import { runHealthChecks } from "@/lib/health";

export const dynamic = "force-dynamic";

export async function GET() {
  const report = await runHealthChecks(db(), config(), healthContext());
  return NextResponse.json(report, { status: report.ok ? 200 : 503 });
}
