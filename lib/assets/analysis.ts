import type { Db } from "@/lib/db";
import { updateRowsById, type SqlValue } from "@/lib/db/bulk";
import { forEachConcurrent } from "@/lib/concurrency";
import { dHash64 } from "@/lib/media/perceptual-hash";
import { videoFacts } from "@/lib/media/video-facts";
import { recordJobEvent } from "@/lib/jobs/events";
import { errorMessage, log } from "@/lib/log";
import type { Storage } from "@/lib/storage";
import { readStored, storedChunks } from "@/lib/storage/read";

// What is learned from a stored file after it is recorded, not on the download path:
// decoding every image costs several times what downloading it does. Images get their
// perceptual hash, videos their size and length (read from their headers, MediaInfoLib).
// A job's function analyses its own files once its downloads are done; maintenance picks
// up any a crash left behind. A file that cannot be analysed is marked with the reason, so
// it is neither retried forever nor left without an explanation.

const ASSETS_PER_STEP = 100;
/** Files analysed at once: sharp works on its own threads, two keep a 2-core machine responsive. */
const PARALLEL_ANALYSES = 2;

export interface AnalysisScope {
  /** Only this job's files (its run-job steps); all pending files when absent (maintenance). */
  jobId?: string;
  /** Only files recorded before this time (maintenance leaves running jobs' fresh files to them). */
  createdBefore?: Date;
}

type Findings = Record<string, SqlValue> & { analysisError: string | null };

async function analyse(store: Storage, mediaType: string, key: string): Promise<Findings> {
  if (mediaType === "video") {
    try {
      // Range reads: MediaInfoLib asks only for the parts it needs (headers, an MP4's moov box).
      const facts = await videoFacts(await storedChunks(store, key));
      return { width: facts.width, height: facts.height, durationMs: facts.durationMs, analysisError: null };
    } catch (error) {
      return { analysisError: `no video size or length: ${errorMessage(error)}` };
    }
  }
  try {
    return { perceptualHash: await dHash64(await readStored(store, key)), analysisError: null };
  } catch (error) {
    return { perceptualHash: null, analysisError: `no perceptual hash: ${errorMessage(error)}` };
  }
}

/** Analyses the next files waiting for it; `done` when none are left in the scope. */
export async function analysePendingAssets(client: Db, store: Storage, scope: AnalysisScope = {}) {
  const assets = await client.asset.findMany({
    where: {
      analysedAt: null,
      ...(scope.jobId ? { jobId: scope.jobId } : {}),
      ...(scope.createdBefore ? { createdAt: { lt: scope.createdBefore } } : {}),
    },
    orderBy: { createdAt: "asc" },
    take: ASSETS_PER_STEP,
    select: { id: true, jobId: true, sourceId: true, mediaType: true, storageKey: true, originalName: true },
  });
  const results: Array<{ id: string; values: Findings }> = [];
  await forEachConcurrent(assets, PARALLEL_ANALYSES, async (asset) => {
    results.push({ id: asset.id, values: await analyse(store, asset.mediaType, asset.storageKey) });
  });
  await updateRowsById(client, "Asset", results, { set: { analysedAt: new Date() }, integers: ["width", "height", "durationMs"] });
  const failures = results.filter((r) => r.values.analysisError !== null);
  for (const { id, values } of failures) {
    const asset = assets.find((a) => a.id === id)!;
    const message = `${asset.originalName}: ${values.analysisError}`;
    if (asset.jobId) await recordJobEvent(client, asset.jobId, "warn", message, asset.sourceId);
    else log.warn(message, { assetId: asset.id });
  }
  return { done: assets.length < ASSETS_PER_STEP, analysed: assets.length, failed: failures.length };
}
