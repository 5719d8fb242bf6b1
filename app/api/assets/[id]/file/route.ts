import { z } from "zod";
import { db } from "@/lib/db";
import { getAsset } from "@/lib/assets/queries";
import { storage } from "@/lib/storage";
import { withUser } from "@/lib/http/guard";
import { jsonError } from "@/lib/http/responses";
import { serveFile } from "@/lib/http/serve-file";

export const dynamic = "force-dynamic";

const query = z.object({ download: z.enum(["1", "0"]).optional() });

const handle = withUser<{ params: Promise<{ id: string }> }>(async (request, user, { params }) => {
  const parsed = query.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!parsed.success) return jsonError(400, "download must be 1 or 0");
  const asset = await getAsset(db(), user.id, (await params).id);
  if (!asset) return jsonError(404, "Asset not found");
  return serveFile(request, {
    store: storage(),
    key: asset.storageKey,
    mime: asset.mime,
    name: asset.originalName,
    disposition: parsed.data.download === "1" ? "attachment" : "inline",
  });
});

export { handle as GET, handle as HEAD };
