import { NextResponse } from "next/server";
import { db } from "@/lib/db";
import { catalogWithHealth } from "@/lib/sources/catalog-view";

export const dynamic = "force-dynamic";

export async function GET() {
  return NextResponse.json({ sources: await catalogWithHealth(db()) });
}
