import { NextResponse } from "next/server";
import { db } from "@/lib/db";
import { withUser } from "@/lib/http/guard";
import { dashboardStats } from "@/lib/stats";

export const dynamic = "force-dynamic";

export const GET = withUser(async (_request, user) => NextResponse.json(await dashboardStats(db(), user.id)));
