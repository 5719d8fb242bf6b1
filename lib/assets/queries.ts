import { z } from "zod";
import type { Db } from "@/lib/db";
import type { Asset } from "@/lib/db/generated/client";
import { toIso, toNumber } from "@/lib/format";
import { sourceName } from "@/lib/sources/registry";
import type { Storage } from "@/lib/storage/types";
import { hasThumbnail } from "./thumbnail";

export const assetFilter = z.object({
  type: z.enum(["image", "video"]).optional(),
  source: z.string().max(64).optional(),
  job: z.string().max(64).optional(),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  perPage: z.coerce.number().int().min(1).max(200).default(48),
});
export type AssetFilter = z.infer<typeof assetFilter>;

export function assetSummary(asset: Asset) {
  return {
    id: asset.id,
    sha256: asset.sha256,
    mime: asset.mime,
    ext: asset.ext,
    mediaType: asset.mediaType,
    bytes: toNumber(asset.bytes),
    width: asset.width,
    height: asset.height,
    durationMs: asset.durationMs,
    originalName: asset.originalName,
    sourceId: asset.sourceId,
    sourceName: sourceName(asset.sourceId),
    jobId: asset.jobId,
    pageUrl: asset.pageUrl,
    mediaUrl: asset.mediaUrl,
    title: asset.title,
    author: asset.author,
    license: asset.license,
    licenseUrl: asset.licenseUrl,
    createdAt: toIso(asset.createdAt),
    fileUrl: `/api/assets/${asset.id}/file`,
    thumbUrl: hasThumbnail(asset) ? `/api/assets/${asset.id}/thumb` : null,
  };
}

export async function listAssets(client: Db, userId: string, filter: AssetFilter) {
  const where = {
    userId,
    ...(filter.type ? { mediaType: filter.type } : {}),
    ...(filter.source ? { sourceId: filter.source } : {}),
    ...(filter.job ? { jobId: filter.job } : {}),
  };
  const [total, rows] = await Promise.all([
    client.asset.count({ where }),
    client.asset.findMany({
      where,
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      skip: (filter.page - 1) * filter.perPage,
      take: filter.perPage,
    }),
  ]);
  return {
    total,
    page: filter.page,
    perPage: filter.perPage,
    pages: Math.max(1, Math.ceil(total / filter.perPage)),
    assets: rows.map(assetSummary),
  };
}

/** The user's asset, or null (another user's asset is not found, like a missing one). */
export async function getAsset(client: Db, userId: string, id: string) {
  return client.asset.findFirst({ where: { id, userId } });
}

/** Deletes the asset row, then its bytes unless another asset row shares them. */
export async function deleteAsset(client: Db, store: Storage, userId: string, id: string) {
  const asset = await getAsset(client, userId, id);
  if (!asset) return false;
  // The jobs that show this file change too: moving their updatedAt changes the pages' poll
  // version (lib/jobs/poll-version.ts), since the items' link to the file is cleared by the database.
  const showing = { userId, OR: [...(asset.jobId ? [{ id: asset.jobId }] : []), { items: { some: { assetId: id } } }] };
  await client.$transaction([
    client.job.updateMany({ where: showing, data: { updatedAt: new Date() } }),
    client.asset.delete({ where: { id } }),
  ]);
  const stillUsed = await client.asset.count({ where: { storageKey: asset.storageKey } });
  if (stillUsed === 0) {
    await store.remove(asset.storageKey);
    if (asset.thumbKey) await store.remove(asset.thumbKey);
  }
  return true;
}
