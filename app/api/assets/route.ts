import { NextResponse } from "next/server";
import { db } from "@/lib/db";
import { assetFilter, listAssets } from "@/lib/assets/queries";
import { withUser } from "@/lib/http/guard";
import { invalidInput } from "@/lib/http/responses";

export const dynamic = "force-dynamic";

export const GET = withUser(async (request, user) => {
  const parsed = assetFilter.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!parsed.success) return invalidInput(parsed.error);
  return NextResponse.json(await listAssets(db(), user.id, parsed.data));
});
