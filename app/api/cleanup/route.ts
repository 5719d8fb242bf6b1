import { NextResponse } from "next/server";
import { config } from "@/lib/config";
import { db } from "@/lib/db";
import { runMaintenance } from "@/lib/maintenance";

export const dynamic = "force-dynamic";

export async function POST() {
  return NextResponse.json(await runMaintenance(db(), config()));
}
