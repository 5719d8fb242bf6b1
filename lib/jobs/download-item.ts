import path from "node:path";
import type { Db } from "@/lib/db";
import { config } from "@/lib/config";
import { sleep } from "@/lib/concurrency";
import { HttpError } from "@/lib/download/http";
import { fetchToStore, type StoredFile } from "@/lib/download/fetch-to-store";
import { IntegrityError, type ExpectedIntegrity } from "@/lib/download/integrity";
import { isRetryable } from "@/lib/download/retryable";
import { safeFetchOptionsFromConfig } from "@/lib/download/safe-fetch";
import { storage } from "@/lib/storage";
import { errorMessage } from "@/lib/log";
import type { Item, Job } from "@/lib/db/generated/client";
import { sourceContext } from "@/lib/sources/context";
import { getSource, isSourceId } from "@/lib/sources/registry";
import { recordJobEvent } from "./events";
import { WriteThrottle } from "./write-throttle";

const MAX_ATTEMPTS = 3;
const MAX_RETRY_WAIT_MS = 30_000;

/** The size and checksums the source published for the item, for the downloader to verify. */
function integrityOf(item: Item): ExpectedIntegrity | undefined {
  const expected: ExpectedIntegrity = {};
  if (item.expectedBytes !== null) expected.bytes = Number(item.expectedBytes);
  if (item.md5) expected.md5 = item.md5;
  if (item.sha1) expected.sha1 = item.sha1;
  return Object.keys(expected).length ? expected : undefined;
}

function retryDelay(error: unknown, attempt: number) {
  const hinted = error instanceof HttpError ? error.retryAfterMs : undefined;
  return Math.min(hinted ?? 500 * 3 ** (attempt - 1), MAX_RETRY_WAIT_MS);
}

function expectedType(job: Job) {
  return job.mediaTypes === "images" ? "image" : job.mediaTypes === "videos" ? "video" : "any";
}

export function displayName(item: Pick<Item, "title" | "mediaUrl">) {
  if (item.title) return item.title;
  const last = path.posix.basename(new URL(item.mediaUrl).pathname);
  return decodeURIComponent(last) || item.mediaUrl;
}

/**
 * Downloads one item into the store and records the outcome on the item (downloaded,
 * skipped as a duplicate, or failed with its reason). Transient failures are retried
 * here; only database failures escape, so the step that called us retries.
 */
// The dashboard polls every second or two: naming the current file more often is wasted writes.
const currentItemWrites = new WriteThrottle(500);

export async function downloadItem(client: Db, job: Job, item: Item) {
  const name = displayName(item);
  if (currentItemWrites.due(job.id)) {
    await client.job.update({ where: { id: job.id }, data: { currentItem: name, heartbeatAt: new Date() } });
  }

  let stored: StoredFile | undefined;
  let lastError: unknown;
  let integrityFailures = 0;
  for (let attempt = 1; attempt <= MAX_ATTEMPTS && !stored; attempt++) {
    await client.item.update({ where: { id: item.id }, data: { status: "downloading", attempts: { increment: 1 } } });
    try {
      stored = await fetchToStore(item.mediaUrl, {
        expected: expectedType(job),
        fetch: safeFetchOptionsFromConfig(),
        storage: storage(),
        tmpDir: config().tmpDir,
        // Keyed by item: a retry, a retried job or a resumed run asks only for the missing bytes.
        resumeKey: item.id,
        integrity: integrityOf(item),
        thumbnail: "later",
      });
    } catch (error) {
      lastError = error;
      // A checksum mismatch is worth one fresh download, not more.
      const integrityGaveUp = error instanceof IntegrityError && integrityFailures++ >= 1;
      if (!isRetryable(error) || integrityGaveUp || attempt === MAX_ATTEMPTS) break;
      await recordJobEvent(client, job.id, "warn", `${name}: ${errorMessage(error)} — retrying (attempt ${attempt + 1})`, item.sourceId);
      await sleep(retryDelay(error, attempt));
    }
  }

  if (!stored) {
    const reason = errorMessage(lastError);
    await client.item.update({ where: { id: item.id }, data: { status: "failed", reason } });
    await recordJobEvent(client, job.id, "warn", `Failed ${name}: ${reason}`, item.sourceId);
    return "failed" as const;
  }
  for (const warning of stored.warnings) await recordJobEvent(client, job.id, "warn", `${name}: ${warning}`, item.sourceId);
  const outcome = await saveAsset(client, job, item, stored, name);
  await reportDownload(client, job, item, name);
  return outcome;
}

/** Tells the source the file was downloaded, where its terms ask for that (Unsplash). */
async function reportDownload(client: Db, job: Job, item: Item, name: string) {
  if (!item.trackingUrl || !isSourceId(item.sourceId)) return;
  const source = getSource(item.sourceId);
  if (!source.reportDownload) return;
  try {
    await source.reportDownload(item.trackingUrl, sourceContext(source));
  } catch (error) {
    await recordJobEvent(client, job.id, "warn", `${name}: could not report the download to ${source.name}: ${errorMessage(error)}`, item.sourceId);
  }
}

/** Asset and item change together, so a crash can never leave a stored asset with a pending item. */
async function saveAsset(client: Db, job: Job, item: Item, file: StoredFile, name: string) {
  const outcome = await client.$transaction(async (tx) => {
    const existing = await tx.asset.findUnique({ where: { userId_sha256: { userId: job.userId, sha256: file.sha256 } } });
    if (existing) {
      await tx.item.update({
        where: { id: item.id },
        data: { status: "skipped", reason: "Already in Assets (identical file)", assetId: existing.id, mediaType: file.mediaType },
      });
      return "skipped" as const;
    }
    const asset = await tx.asset.create({
      data: {
        userId: job.userId,
        sha256: file.sha256,
        mime: file.mime,
        ext: file.ext,
        mediaType: file.mediaType,
        bytes: BigInt(file.bytes),
        width: file.width,
        height: file.height,
        perceptualHash: file.perceptualHash,
        storageKey: file.storageKey,
        thumbKey: file.thumbKey,
        originalName: file.originalName,
        sourceId: item.sourceId,
        jobId: job.id,
        pageUrl: item.pageUrl,
        mediaUrl: item.mediaUrl,
        title: item.title,
        author: item.author,
        license: item.license,
        licenseUrl: item.licenseUrl,
      },
    });
    await tx.item.update({
      where: { id: item.id },
      data: { status: "downloaded", reason: null, assetId: asset.id, bytes: BigInt(file.bytes), mediaType: file.mediaType },
    });
    return "downloaded" as const;
  });
  const verb = outcome === "downloaded" ? `Downloaded ${name} (${formatKb(file.bytes)})` : `Skipped ${name}: already in Assets`;
  await recordJobEvent(client, job.id, "info", verb, item.sourceId);
  return outcome;
}

const formatKb = (bytes: number) => (bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1024))} KB`);
