import { fileNameFromUrl } from "@/lib/media/file-names";
import type { Db } from "@/lib/db";
import { config } from "@/lib/config";
import { sleep } from "@/lib/concurrency";
import { HttpError } from "@/lib/net/http-client";
import { fetchToStore, type StoredFile } from "@/lib/download/fetch-to-store";
import { hostGate } from "@/lib/download/host-gates";
import { IntegrityError, type ExpectedIntegrity } from "@/lib/download/integrity";
import { isRetryable } from "@/lib/net/retryable";
import { safeFetchOptionsFromConfig } from "@/lib/net/safe-fetch";
import { storage } from "@/lib/storage";
import { errorMessage } from "@/lib/log";
import type { Item, Job } from "@/lib/db/generated/client";
import { sourceContext } from "@/lib/sources/context";
import { getSource, isSourceId } from "@/lib/sources/registry";
import { recordJobEvent } from "./events";
import type { OutcomeWriter } from "./outcome-writer";

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

/** How an item is named in the job's log: its title, else its file name, else its URL. */
function itemLabel(item: Pick<Item, "title" | "mediaUrl">) {
  return item.title || fileNameFromUrl(item.mediaUrl) || item.mediaUrl;
}

/** The job ended (e.g. cancelled) while the item waited for a connection: it is left as it was. */
class JobStoppedError extends Error {
  constructor() {
    super("the job is no longer running");
    this.name = "JobStoppedError";
  }
}

/** Reading the job's status failed: a database failure, which must fail the step, not the item. */
class JobStatusUnreadableError extends Error {
  constructor(readonly databaseError: unknown) {
    super(`could not read the job's status: ${errorMessage(databaseError)}`);
    this.name = "JobStatusUnreadableError";
  }
}

async function stillRunning(writer: OutcomeWriter) {
  try {
    return await writer.jobIsActive();
  } catch (error) {
    throw new JobStatusUnreadableError(error);
  }
}

/** The per-host gate for this item's media URL, paused when the host asks us to wait. */
function transferGateFor(url: string, writer: OutcomeWriter) {
  const gate = hostGate(url, config().download.connectionsPerHost);
  // The pause is set before the slot is given back, so no waiting transfer slips in first.
  return <T>(transfer: () => Promise<T>) =>
    gate.run(async () => {
      // Waiting for a slot can take long: a job cancelled meanwhile starts no new transfer.
      if (!(await stillRunning(writer))) throw new JobStoppedError();
      try {
        return await transfer();
      } catch (error) {
        if (error instanceof HttpError && (error.status === 429 || error.status === 503) && error.retryAfterMs !== undefined) {
          await gate.pauseUntil(Date.now() + Math.min(error.retryAfterMs, MAX_RETRY_WAIT_MS));
        }
        throw error;
      }
    });
}

/**
 * Downloads one item into the store and hands its outcome (stored, or failed with its
 * reason) to the batch's writer, which records it. Transient failures are retried here;
 * only database failures escape, so the step that called us retries.
 */
export async function downloadItem(client: Db, job: Job, item: Item, writer: OutcomeWriter) {
  const name = itemLabel(item);
  writer.startingItem(name);
  const transferGate = transferGateFor(item.mediaUrl, writer);

  let stored: StoredFile | undefined;
  let lastError: unknown;
  let integrityFailures = 0;
  let attempts = item.attempts;
  for (let attempt = 1; attempt <= MAX_ATTEMPTS && !stored; attempt++) {
    attempts++;
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
        perceptualHash: "later",
        transferGate,
      });
    } catch (error) {
      if (error instanceof JobStoppedError) return;
      if (error instanceof JobStatusUnreadableError) throw error.databaseError;
      lastError = error;
      // A checksum mismatch is worth one fresh download, not more.
      const integrityGaveUp = error instanceof IntegrityError && integrityFailures++ >= 1;
      if (!isRetryable(error) || integrityGaveUp || attempt === MAX_ATTEMPTS) break;
      await recordJobEvent(client, job.id, "warn", `${name}: ${errorMessage(error)} — retrying (attempt ${attempt + 1})`, item.sourceId);
      await sleep(retryDelay(error, attempt));
    }
  }

  if (!stored) {
    writer.add({ kind: "failed", item, name, reason: errorMessage(lastError), attempts, events: [] });
    return;
  }
  const events = stored.warnings.map((warning) => ({ level: "warn" as const, message: `${name}: ${warning}` }));
  writer.add({ kind: "stored", item, name, file: stored, attempts, events });
  await reportDownload(client, job, item, name);
}

/** Tells the source the file was downloaded, where its terms ask for that (Unsplash). */
async function reportDownload(client: Db, job: Job, item: Item, name: string) {
  if (!item.trackingUrl || !isSourceId(item.sourceId)) return;
  const source = getSource(item.sourceId);
  if (!source.reportDownload) return;
  try {
    await source.reportDownload(item.trackingUrl, await sourceContext(client, source));
  } catch (error) {
    await recordJobEvent(
      client,
      job.id,
      "warn",
      `${name}: could not report the download to ${source.name}: ${errorMessage(error)}`,
      item.sourceId,
    );
  }
}
