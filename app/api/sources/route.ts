import { NextResponse } from "next/server";
import { db } from "@/lib/db";
import { withUser } from "@/lib/http/guard";
import { catalogWithHealth } from "@/lib/sources/catalog-view";

export const dynamic = "force-dynamic";

export const GET = withUser(async () => NextResponse.json({ sources: await catalogWithHealth(db()) }));
