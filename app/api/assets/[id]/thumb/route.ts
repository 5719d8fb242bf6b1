import { config } from "@/lib/config";
import { db } from "@/lib/db";
import { getAsset } from "@/lib/assets/queries";
import { ensureThumbnail } from "@/lib/assets/thumbnail";
import { storage } from "@/lib/storage";
import { withUser } from "@/lib/http/guard";
import { jsonError } from "@/lib/http/responses";
import { serveFile } from "@/lib/http/serve-file";
import { errorMessage, log } from "@/lib/log";

export const dynamic = "force-dynamic";

export const GET = withUser<{ params: Promise<{ id: string }> }>(async (request, user, { params }) => {
  const asset = await getAsset(db(), user.id, (await params).id);
  if (!asset) return jsonError(404, "Asset not found");
  let key: string | null;
  try {
    key = await ensureThumbnail(db(), storage(), config().tmpDir, asset);
  } catch (error) {
    log.warn("thumbnail failed", { assetId: asset.id, error: errorMessage(error) });
    return jsonError(422, `No thumbnail for this file: ${errorMessage(error)}`);
  }
  if (!key) return jsonError(404, "No thumbnail for this asset");
  return serveFile(request, {
    store: storage(),
    key,
    mime: "image/webp",
    name: `${asset.sha256.slice(0, 12)}-thumb.webp`,
    disposition: "inline",
  });
});
