import { NextResponse } from "next/server";
import { db } from "@/lib/db";
import { assetSummary, deleteAsset, getAsset } from "@/lib/assets/queries";
import { storage } from "@/lib/storage";
import { jsonError } from "@/lib/http/responses";

export const dynamic = "force-dynamic";

type Params = { params: Promise<{ id: string }> };

export async function GET(_request: Request, { params }: Params) {
  const asset = await getAsset(db(), (await params).id);
  return asset ? NextResponse.json(assetSummary(asset)) : jsonError(404, "Asset not found");
}

export async function DELETE(_request: Request, { params }: Params) {
  const deleted = await deleteAsset(db(), storage(), (await params).id);
  return deleted ? NextResponse.json({ deleted: true }) : jsonError(404, "Asset not found");
}
