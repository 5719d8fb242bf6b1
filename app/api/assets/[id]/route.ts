import { NextResponse } from "next/server";
import { db } from "@/lib/db";
import { assetSummary, deleteAsset, getAsset } from "@/lib/assets/queries";
import { storage } from "@/lib/storage";
import { withUser } from "@/lib/http/guard";
import { jsonError } from "@/lib/http/responses";

export const dynamic = "force-dynamic";

type Params = { params: Promise<{ id: string }> };

export const GET = withUser<Params>(async (_request, user, { params }) => {
  const asset = await getAsset(db(), user.id, (await params).id);
  return asset ? NextResponse.json(assetSummary(asset)) : jsonError(404, "Asset not found");
});

export const DELETE = withUser<Params>(async (_request, user, { params }) => {
  const deleted = await deleteAsset(db(), storage(), user.id, (await params).id);
  return deleted ? NextResponse.json({ deleted: true }) : jsonError(404, "Asset not found");
});
