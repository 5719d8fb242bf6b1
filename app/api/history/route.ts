import { NextResponse } from "next/server";
import { db } from "@/lib/db";
import { historyFilter, listHistory } from "@/lib/jobs/history";
import { withUser } from "@/lib/http/guard";
import { invalidInput } from "@/lib/http/responses";

export const dynamic = "force-dynamic";

export const GET = withUser(async (request, user) => {
  const parsed = historyFilter.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!parsed.success) return invalidInput(parsed.error);
  return NextResponse.json(await listHistory(db(), user.id, parsed.data));
});
