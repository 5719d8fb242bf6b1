import fsp from "node:fs/promises";
import type { Storage } from "@/lib/storage/types";
import { openSafe, type SafeFetchOptions, type SafeResponse } from "@/lib/net/safe-fetch";
import { HttpError } from "@/lib/net/http-client";
import { formatBytes } from "@/lib/byte-size";
import { MediaRejectedError, ResponseTooLargeError, TruncatedResponseError, truncatedMessage } from "@/lib/net/fetch-errors";
import type { ContentDigests, DigestSelection } from "@/lib/download/content-digests";
import type { ExpectedMedia, SniffedMedia } from "@/lib/media/media-types";
import { safeFileName, fileNameFromContentDisposition, fileNameFromUrl } from "@/lib/media/file-names";
import { imageFacts, type ImageFacts } from "@/lib/media/image-facts";
import { digestsToCompute, IntegrityError, parseIntegrity, verifyIntegrity, type ExpectedIntegrity } from "@/lib/download/integrity";
import { openPartFile, type PartFile } from "@/lib/download/part-file";
import { ifRangeValidator, planResponse, rangeHeaders, type ResumePoint } from "@/lib/download/range-resume";
import { isRetryable } from "@/lib/net/retryable";
import { downloadMemory, type MemoryBudget } from "@/lib/download/memory-budget";
import { freshProgress, progressFromPart, readBodyToMemory, writeBodyToPart, type DownloadProgress } from "@/lib/download/stream-to-part";
import { fileKey } from "@/lib/storage/keys";

export { MediaRejectedError } from "@/lib/net/fetch-errors";

// Downloads one media file into content-addressed storage: hashed as it arrives, judged by
// its real type from the first bytes, checked against the size and checksums the source
// gave, stored as files/<ab>/<sha256>.<ext> (an existing key holds the same bytes), then
// measured. A large file streams to a .part file; with a resume key a transfer cut off by a
// transient failure is continued by the next call (see part-file.ts). A small one (its size
// announced, up to inMemoryMaxBytes) is read into memory and written once: for thousands
// of small images the file system round trips of the part file cost more than the transfer.

/** Default for FetchToStoreOptions.inMemoryMaxBytes. */
export const IN_MEMORY_MAX_BYTES = 4 * 1024 * 1024;

export interface StoredFile {
  sha256: string;
  bytes: number;
  mime: string;
  ext: string;
  mediaType: "image" | "video";
  storageKey: string;
  thumbKey: string | null;
  width: number | null;
  height: number | null;
  /** 64-bit difference hash (16 hex digits) for finding near-duplicate images; null for videos. */
  perceptualHash: string | null;
  originalName: string;
  /** Problems that did not stop the download (e.g. no thumbnail), for the dashboard. */
  warnings: string[];
}

export interface FetchToStoreOptions {
  expected: ExpectedMedia;
  fetch: SafeFetchOptions;
  storage: Storage;
  tmpDir: string;
  signal?: AbortSignal;
  /**
   * A stable id for the item (e.g. its database id). The part file is then kept after a
   * transient failure, and the next call with the same key asks only for the missing bytes.
   */
  resumeKey?: string;
  /** Size and checksums the source published; a difference throws IntegrityError. */
  integrity?: ExpectedIntegrity;
  /** "later": skip the thumbnail here (it is made on first request), keeping encoding off the download path. */
  thumbnail?: "now" | "later";
  /** "later": leave the perceptual hash to the analysis after the download (lib/assets/analysis.ts). */
  perceptualHash?: "now" | "later";
  /**
   * Files announced at up to this many bytes are read into memory (no part file, so a cut
   * transfer starts over); larger or unannounced ones stream to their part. Default IN_MEMORY_MAX_BYTES.
   */
  inMemoryMaxBytes?: number;
  /** Bytes all in-memory downloads may hold together (default: the process's downloadMemory); a file that does not fit streams to its part. */
  memoryBudget?: MemoryBudget;
  /** Wraps the transfer (not the measuring after it), e.g. to hold a per-host connection slot. */
  transferGate?: <T>(transfer: () => Promise<T>) => Promise<T>;
}

const ACCEPT: Record<ExpectedMedia, string> = {
  image: "image/avif,image/webp,image/*;q=0.9,*/*;q=0.5",
  video: "video/*;q=0.9,*/*;q=0.5",
  any: "image/*,video/*;q=0.9,*/*;q=0.5",
};

interface Downloaded {
  /** The whole file when it was read into memory; null when it is in the part file. */
  inMemory: Buffer | null;
  /** The file's first bytes. */
  head: Buffer;
  digests: ContentDigests;
  bytes: number;
  media: SniffedMedia;
  finalUrl: string;
  contentDisposition: string | undefined;
  warnings: string[];
}

function asRejection(err: unknown): unknown {
  if (err instanceof ResponseTooLargeError) {
    const rejected = new MediaRejectedError(err.message);
    rejected.cause = err;
    return rejected;
  }
  return err;
}

/** A transient failure leaves a resumable part for the next call; anything else throws it away. */
function keepsPart(err: unknown): boolean {
  return isRetryable(err) && !(err instanceof IntegrityError);
}

function open(url: string, opts: FetchToStoreOptions, point: ResumePoint | null): Promise<SafeResponse> {
  return openSafe(url, {
    ...opts.fetch,
    headers: { accept: ACCEPT[opts.expected], ...(point ? rangeHeaders(point) : {}) },
    signal: opts.signal,
    acceptStatuses: point ? [416] : [],
  });
}

/** The whole file must have arrived: fewer bytes than announced is a truncation, never a stored file. */
function assertComplete(progress: DownloadProgress, total: number | null, host: string): void {
  if (total === null || progress.bytes === total) return;
  if (progress.bytes < total) throw new TruncatedResponseError(truncatedMessage(progress.bytes, total, host));
  throw new HttpError(`response from ${host} was ${progress.bytes} bytes, longer than the ${total} it announced`);
}

/** The share of the memory budget one download holds until fetchToStore is done with it. */
interface MemoryHold {
  take(bytes: number): boolean;
  release(): void;
}

function memoryHold(budget: MemoryBudget): MemoryHold {
  let held = 0;
  return {
    take(bytes) {
      if (held > 0 || !budget.tryTake(bytes)) return false;
      held = bytes;
      return true;
    },
    release() {
      budget.release(held);
      held = 0;
    },
  };
}

async function download(
  url: string,
  part: PartFile,
  opts: FetchToStoreOptions,
  selection: DigestSelection,
  memory: MemoryHold,
): Promise<Downloaded> {
  const warnings = [...part.warnings];
  const from = part.resumeFrom;
  let resume: { point: ResumePoint; progress: DownloadProgress } | null = from
    ? { point: from, progress: await progressFromPart(part.path, from.offset, opts.expected, selection, opts.signal) }
    : null;
  for (;;) {
    const response = await open(url, opts, resume?.point ?? null);
    const host = new URL(response.url).host;
    const plan = planResponse(resume?.point ?? null, response.status, response.headers, response.contentLength);
    if (plan.kind === "unusable") {
      response.body.destroy();
      if (!resume) throw new HttpError(`unusable response from ${host}: ${plan.reason}`);
      warnings.push(`could not resume the partial download (${plan.reason}); downloading it again from the start`);
      resume = null;
      continue;
    }

    let progress: DownloadProgress;
    let total: number | null;
    let inMemory: Buffer | null = null;
    if (
      plan.kind === "restart" &&
      plan.total !== null &&
      plan.total <= (opts.inMemoryMaxBytes ?? IN_MEMORY_MAX_BYTES) &&
      memory.take(plan.total)
    ) {
      progress = freshProgress(opts.expected, selection);
      // A part an earlier call left is of no use once the whole file comes again.
      if (part.resumeFrom) await part.discard();
      inMemory = await readBodyToMemory(response, progress);
      total = plan.total;
    } else if (plan.kind === "restart") {
      progress = freshProgress(opts.expected, selection);
      const contentDisposition = response.headers["content-disposition"] ?? null;
      await part.recordOrigin({ url, validator: ifRangeValidator(response.headers), totalBytes: plan.total, contentDisposition });
      await writeBodyToPart(response.body, part.path, progress, { flags: part.keyed ? "w" : "wx", maxBytes: opts.fetch.maxBytes, host });
      total = plan.total;
    } else if (!resume) {
      throw new Error(`internal: a ${plan.kind} answer to a request that asked for no range`);
    } else if (plan.kind === "append") {
      progress = resume.progress;
      if (plan.total !== null && plan.total > opts.fetch.maxBytes) {
        response.body.destroy();
        throw new ResponseTooLargeError(
          `response from ${host} is ${formatBytes(plan.total)}, over the ${formatBytes(opts.fetch.maxBytes)} limit`,
        );
      }
      await writeBodyToPart(response.body, part.path, progress, { flags: "a", maxBytes: opts.fetch.maxBytes, host });
      total = plan.total;
    } else {
      progress = resume.progress;
      response.body.destroy();
      if ((await progress.gate.finish()).length > 0) throw new Error("internal: a complete part still held unwritten bytes");
      total = resume.point.offset;
    }
    assertComplete(progress, total, host);

    const media = progress.gate.media;
    if (!media) throw new Error("internal: the download finished without being sniffed");
    return {
      inMemory,
      head: inMemory ?? progress.gate.headBytes,
      digests: progress.digests.digest(),
      bytes: progress.bytes,
      media,
      finalUrl: response.url,
      contentDisposition: response.headers["content-disposition"] ?? part.origin?.contentDisposition ?? undefined,
      warnings,
    };
  }
}

/** Measures the finished file (before it moves, so any storage backend works) and stores it. */
async function store(downloaded: Downloaded, partPath: string, opts: FetchToStoreOptions): Promise<StoredFile> {
  const { digests, bytes, media, inMemory } = downloaded;
  const storageKey = fileKey(digests.sha256, media.ext);
  const facts: ImageFacts =
    media.mediaType === "image"
      ? await imageFacts(inMemory ?? partPath, downloaded.head, digests.sha256, opts.storage, opts.tmpDir, {
          thumbnail: opts.thumbnail !== "later",
          perceptualHash: opts.perceptualHash !== "later",
        })
      : { width: null, height: null, thumbKey: null, perceptualHash: null, warnings: [] };
  if (inMemory) await opts.storage.write(storageKey, inMemory);
  else await opts.storage.put(partPath, storageKey);
  const suggested = fileNameFromContentDisposition(downloaded.contentDisposition) ?? fileNameFromUrl(downloaded.finalUrl);
  return {
    sha256: digests.sha256,
    bytes,
    mime: media.mime,
    ext: media.ext,
    mediaType: media.mediaType,
    storageKey,
    thumbKey: facts.thumbKey,
    width: facts.width,
    height: facts.height,
    perceptualHash: facts.perceptualHash,
    originalName: safeFileName(suggested, media.ext),
    warnings: [...downloaded.warnings, ...facts.warnings],
  };
}

/** Temp folders this process made or found; Trawl never removes its own tmp folder while running. */
const readyTmpDirs = new Set<string>();

async function ensureTmpDir(dir: string) {
  if (readyTmpDirs.has(dir)) return;
  await fsp.mkdir(dir, { recursive: true });
  readyTmpDirs.add(dir);
}

export async function fetchToStore(url: string, opts: FetchToStoreOptions): Promise<StoredFile> {
  const integrity = parseIntegrity(opts.integrity);
  await ensureTmpDir(opts.tmpDir);
  const part = await openPartFile(opts.tmpDir, url, opts.resumeKey);
  const memory = memoryHold(opts.memoryBudget ?? downloadMemory);
  try {
    const transfer = () => download(url, part, opts, digestsToCompute(integrity), memory);
    const downloaded = await (opts.transferGate ? opts.transferGate(transfer) : transfer());
    verifyIntegrity(integrity, downloaded);
    const stored = await store(downloaded, part.path, opts);
    await part.finish();
    return stored;
  } catch (err) {
    const error = asRejection(err);
    if (!(part.resumable && keepsPart(error))) await part.discard();
    throw error;
  } finally {
    memory.release();
    part.release();
  }
}
