import type { Db } from "@/lib/db";
import { updateRowsById } from "@/lib/db/bulk";
import { forEachConcurrent } from "@/lib/concurrency";
import { dHash64 } from "@/lib/download/perceptual-hash";
import { recordJobEvent } from "@/lib/jobs/events";
import { errorMessage, log } from "@/lib/log";
import type { Storage } from "@/lib/storage";

// Perceptual hashes are computed after the files are recorded, not on the download path:
// decoding every image costs several times what downloading it does. A job's function
// analyses its own images once its downloads are done; maintenance picks up any image a
// crash left behind. An image that cannot be decoded is marked with the reason, so it is
// neither retried forever nor left without an explanation.

const ASSETS_PER_STEP = 100;
/** Images decoded at once: sharp works on its own threads, two keep a 2-core machine responsive. */
const PARALLEL_DECODES = 2;

export interface AnalysisScope {
  /** Only this job's images (its run-job steps); all pending images when absent (maintenance). */
  jobId?: string;
  /** Only images recorded before this time (maintenance leaves running jobs' fresh images to them). */
  createdBefore?: Date;
}

/** Hashes the next images waiting for analysis; `done` when none are left in the scope. */
export async function analysePendingImages(client: Db, store: Storage, scope: AnalysisScope = {}) {
  const assets = await client.asset.findMany({
    where: {
      mediaType: "image",
      analysedAt: null,
      ...(scope.jobId ? { jobId: scope.jobId } : {}),
      ...(scope.createdBefore ? { createdAt: { lt: scope.createdBefore } } : {}),
    },
    orderBy: { createdAt: "asc" },
    take: ASSETS_PER_STEP,
    select: { id: true, jobId: true, sourceId: true, storageKey: true, originalName: true },
  });
  const results: Array<{ id: string; values: { perceptualHash: string | null; analysisError: string | null } }> = [];
  await forEachConcurrent(assets, PARALLEL_DECODES, async (asset) => {
    try {
      results.push({ id: asset.id, values: { perceptualHash: await dHash64(store.absolutePath(asset.storageKey)), analysisError: null } });
    } catch (error) {
      results.push({ id: asset.id, values: { perceptualHash: null, analysisError: `no perceptual hash: ${errorMessage(error)}` } });
    }
  });
  await updateRowsById(client, "Asset", results, { set: { analysedAt: new Date() } });
  const failures = results.filter((r) => r.values.analysisError !== null);
  for (const { id, values } of failures) {
    const asset = assets.find((a) => a.id === id)!;
    const message = `${asset.originalName}: ${values.analysisError}`;
    if (asset.jobId) await recordJobEvent(client, asset.jobId, "warn", message, asset.sourceId);
    else log.warn(message, { assetId: asset.id });
  }
  const failed = failures.length;
  return { done: assets.length < ASSETS_PER_STEP, analysed: assets.length, failed };
}
