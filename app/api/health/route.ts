import { NextResponse } from "next/server";
import { healthContext } from "@/server/health-context";
import { identify } from "@/lib/auth/request-user";
import { needsSetup } from "@/lib/auth/accounts";
import { config } from "@/lib/config";
import { db } from "@/lib/db";
import { healthSummary, runHealthChecks } from "@/lib/health";

export const dynamic = "force-dynamic";

/** Open to anyone as a summary (with whether the first-run set-up is still to do); administrators get the details. */
export async function GET(request: Request) {
  const report = await runHealthChecks(db(), config(), healthContext());
  const who = await identify(request.headers);
  const body = who.ok && who.user.role === "admin" ? report : { ...healthSummary(report), setupNeeded: await needsSetup(db()) };
  return NextResponse.json(body, { status: report.ok ? 200 : 503 });
}
