import { NextResponse } from "next/server";
import { engineProbe } from "@/inngest/engine-probe";
import { config } from "@/lib/config";
import { db } from "@/lib/db";
import { runHealthChecks } from "@/lib/health";

export const dynamic = "force-dynamic";

export async function GET() {
  const report = await runHealthChecks(db(), config(), engineProbe());
  return NextResponse.json(report, { status: report.ok ? 200 : 503 });
}
