import fs from "node:fs";
import fsp from "node:fs/promises";
import { createHash } from "node:crypto";
import { Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { Storage } from "@/lib/storage/local";
import { openSafe, type SafeFetchOptions, type SafeResponse } from "@/lib/download/safe-fetch";
import { ResponseTooLargeError } from "@/lib/download/fetch-errors";
import { SNIFF_BYTES, sniffMedia, type ExpectedMedia, type SniffedMedia } from "@/lib/download/media-types";
import { displayName, filenameFromContentDisposition, filenameFromUrl } from "@/lib/download/display-name";
import { imageFacts, type ImageFacts } from "@/lib/download/image-facts";
import { discardTempFile, tempPath } from "@/lib/download/temp-files";

// Downloads one media file into content-addressed storage: streamed to a .part file while
// hashing, judged by its real type from the first bytes, moved to files/<ab>/<sha256>.<ext>
// (an existing key means the same bytes are already stored), then measured and thumbnailed.

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
  originalName: string;
  /** Problems that did not stop the download (e.g. no thumbnail), for the dashboard. */
  warnings: string[];
}

/** The file is not something we keep (wrong type, an HTML page, too large): do not retry. */
export class MediaRejectedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "MediaRejectedError";
  }
}

export interface FetchToStoreOptions {
  expected: ExpectedMedia;
  fetch: SafeFetchOptions;
  storage: Storage;
  tmpDir: string;
  signal?: AbortSignal;
}

const ACCEPT: Record<ExpectedMedia, string> = {
  image: "image/avif,image/webp,image/*;q=0.9,*/*;q=0.5",
  video: "video/*;q=0.9,*/*;q=0.5",
  any: "image/*,video/*;q=0.9,*/*;q=0.5",
};

interface Streamed {
  sha256: string;
  bytes: number;
  media: SniffedMedia;
}

/** Writes the body to partPath, hashing it and refusing it as soon as its first bytes are judged. */
async function streamToPart(response: SafeResponse, partPath: string, expected: ExpectedMedia): Promise<Streamed> {
  const hash = createHash("sha256");
  let bytes = 0;
  let head: Buffer[] = [];
  let headBytes = 0;
  let media: SniffedMedia | undefined;

  async function judgeHead(): Promise<Buffer> {
    const buffered = Buffer.concat(head, headBytes);
    const verdict = await sniffMedia(buffered.subarray(0, SNIFF_BYTES), expected);
    if (!verdict.ok) throw new MediaRejectedError(verdict.reason);
    media = verdict.media;
    head = [];
    return buffered;
  }

  const inspect = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      hash.update(chunk);
      bytes += chunk.length;
      if (media) return callback(null, chunk);
      head.push(chunk);
      headBytes += chunk.length;
      if (headBytes < SNIFF_BYTES) return callback();
      judgeHead().then((buffered) => callback(null, buffered), callback);
    },
    flush(callback) {
      if (media) return callback();
      judgeHead().then((buffered) => callback(null, buffered), callback);
    },
  });

  await pipeline(response.body, inspect, fs.createWriteStream(partPath, { flags: "wx" }));
  if (!media) throw new Error("internal: the download finished without being sniffed");
  return { sha256: hash.digest("hex"), bytes, media };
}

function asRejection(err: unknown): unknown {
  if (err instanceof ResponseTooLargeError) {
    const rejected = new MediaRejectedError(err.message);
    rejected.cause = err;
    return rejected;
  }
  return err;
}

export async function fetchToStore(url: string, opts: FetchToStoreOptions): Promise<StoredFile> {
  await fsp.mkdir(opts.tmpDir, { recursive: true });
  let response: SafeResponse;
  try {
    response = await openSafe(url, { ...opts.fetch, headers: { accept: ACCEPT[opts.expected] }, signal: opts.signal });
  } catch (err) {
    throw asRejection(err);
  }

  const partPath = tempPath(opts.tmpDir);
  let streamed: Streamed;
  let storageKey: string;
  let facts: ImageFacts;
  try {
    streamed = await streamToPart(response, partPath, opts.expected);
    storageKey = `files/${streamed.sha256.slice(0, 2)}/${streamed.sha256}.${streamed.media.ext}`;
    // Measured on the local .part file, before it moves, so any storage backend works.
    facts =
      streamed.media.mediaType === "image"
        ? await imageFacts(partPath, streamed.sha256, opts.storage, opts.tmpDir)
        : { width: null, height: null, thumbKey: null, warnings: [] };
    await opts.storage.put(partPath, storageKey);
  } catch (err) {
    await discardTempFile(partPath);
    throw asRejection(err);
  }

  const { sha256, bytes, media } = streamed;
  const suggested = filenameFromContentDisposition(response.headers["content-disposition"]) ?? filenameFromUrl(response.url);

  return {
    sha256,
    bytes,
    mime: media.mime,
    ext: media.ext,
    mediaType: media.mediaType,
    storageKey,
    thumbKey: facts.thumbKey,
    width: facts.width,
    height: facts.height,
    originalName: displayName(suggested, media.ext),
    warnings: facts.warnings,
  };
}
