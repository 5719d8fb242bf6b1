import type { Db } from "@/lib/db";
import type { Asset } from "@/lib/db/generated/client";
import { makeThumbnail } from "@/lib/media/image-facts";
import { thumbKey } from "@/lib/storage/keys";
import { readStored } from "@/lib/storage/read";
import type { Storage } from "@/lib/storage/types";

/** Images get their thumbnail on first request (kept off the download path); videos have none. */
export const hasThumbnail = (asset: Pick<Asset, "thumbKey" | "mediaType">) => asset.thumbKey !== null || asset.mediaType === "image";

/** The asset's thumbnail key, made now if it does not exist yet. */
export async function ensureThumbnail(client: Db, store: Storage, tmpDir: string, asset: Asset) {
  if (asset.thumbKey) return asset.thumbKey;
  if (asset.mediaType !== "image") return null;
  const key = thumbKey(asset.sha256);
  if (!(await store.exists(key))) await makeThumbnail(await readStored(store, asset.storageKey), key, store, tmpDir);
  await client.asset.updateMany({ where: { sha256: asset.sha256 }, data: { thumbKey: key } });
  return key;
}
