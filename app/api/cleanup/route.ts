import { NextResponse } from "next/server";
import { config } from "@/lib/config";
import { db } from "@/lib/db";
import { withAdmin } from "@/lib/http/guard";
import { runMaintenance } from "@/lib/maintenance";

export const dynamic = "force-dynamic";

/** Clean-up runs over every user's old jobs: administrators only. */
export const POST = withAdmin(async () => NextResponse.json(await runMaintenance(db(), config())));
