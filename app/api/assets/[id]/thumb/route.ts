import { db } from "@/lib/db";
import { getAsset } from "@/lib/assets/queries";
import { storage } from "@/lib/storage";
import { jsonError } from "@/lib/http/responses";
import { serveFile } from "@/lib/http/serve-file";

export const dynamic = "force-dynamic";

export async function GET(request: Request, { params }: { params: Promise<{ id: string }> }) {
  const asset = await getAsset(db(), (await params).id);
  if (!asset?.thumbKey) return jsonError(404, "No thumbnail for this asset");
  return serveFile(request, {
    path: storage().absolutePath(asset.thumbKey),
    mime: "image/webp",
    name: `${asset.sha256.slice(0, 12)}-thumb.webp`,
    disposition: "inline",
  });
}
