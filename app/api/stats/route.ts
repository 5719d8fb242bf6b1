import { NextResponse } from "next/server";
import { db } from "@/lib/db";
import { dashboardStats } from "@/lib/stats";

export const dynamic = "force-dynamic";

export async function GET() {
  return NextResponse.json(await dashboardStats(db()));
}
