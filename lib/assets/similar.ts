import type { Db } from "@/lib/db";
import { hammingDistance } from "@/lib/media/perceptual-hash";
import { assetSummary } from "./queries";

export const NEAR_DUPLICATE_DISTANCE = 8;

/** The user's images whose perceptual hash is within 8 bits of this one's, closest first. */
export async function similarAssets(client: Db, userId: string, assetId: string, limit = 12) {
  const asset = await client.asset.findFirst({ where: { id: assetId, userId }, select: { userId: true, perceptualHash: true } });
  if (!asset?.perceptualHash) return [];
  const candidates = await client.asset.findMany({
    where: { userId: asset.userId, perceptualHash: { not: null }, id: { not: assetId } },
    select: { id: true, perceptualHash: true },
  });
  const near = candidates
    .map((c) => ({ id: c.id, distance: hammingDistance(asset.perceptualHash as string, c.perceptualHash as string) }))
    .filter((c) => c.distance <= NEAR_DUPLICATE_DISTANCE)
    .sort((a, b) => a.distance - b.distance)
    .slice(0, limit);
  const rows = await client.asset.findMany({ where: { id: { in: near.map((n) => n.id) } } });
  const byId = new Map(rows.map((row) => [row.id, row]));
  return near.flatMap((n) => {
    const row = byId.get(n.id);
    return row ? [{ ...assetSummary(row), distance: n.distance }] : [];
  });
}
