import { NextResponse } from "next/server";
import { describeSources } from "@/lib/sources/registry";

export const dynamic = "force-dynamic";

export function GET() {
  return NextResponse.json({ sources: describeSources() });
}
