import fs from "node:fs";
import { Transform, type Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { createDigests, type DigestAccumulator, type DigestSelection } from "@/lib/download/content-digests";
import { overLimitError } from "@/lib/net/fetch-errors";
import { MediaGate } from "@/lib/download/media-gate";
import { SNIFF_BYTES, type ExpectedMedia } from "@/lib/media/media-types";
import type { SafeResponse } from "@/lib/net/safe-fetch";

// Takes a response body in one pass, hashing, counting against the byte cap and holding
// the first bytes back until the media gate has judged them: into its .part file, or into
// memory for a small file. A resumed download starts from the part already on disk, hashed
// again so the digests cover it all.

const WRITE_BUFFER_BYTES = 1024 * 1024;

export interface DownloadProgress {
  digests: DigestAccumulator;
  gate: MediaGate;
  /** Bytes of the file seen so far, those on disk from before included. */
  bytes: number;
}

export function freshProgress(expected: ExpectedMedia, selection: DigestSelection): DownloadProgress {
  return { digests: createDigests(selection), gate: new MediaGate(expected), bytes: 0 };
}

/** Hashes the first `offset` bytes already in `file` and judges their start. */
export async function progressFromPart(
  file: string,
  offset: number,
  expected: ExpectedMedia,
  selection: DigestSelection,
  signal?: AbortSignal,
): Promise<DownloadProgress> {
  const progress = freshProgress(expected, selection);
  const head: Buffer[] = [];
  let headBytes = 0;
  for await (const chunk of fs.createReadStream(file, { end: offset - 1 }) as AsyncIterable<Buffer>) {
    signal?.throwIfAborted();
    progress.digests.update(chunk);
    progress.bytes += chunk.length;
    if (headBytes < SNIFF_BYTES) {
      head.push(chunk);
      headBytes += chunk.length;
    }
  }
  if (progress.bytes !== offset) throw new Error(`the partial download changed while it was read (${progress.bytes} of ${offset} bytes)`);
  await progress.gate.seed(Buffer.concat(head));
  return progress;
}

/** A whole (small) body read into memory: judged first, so a refused one is never hashed. */
export async function readBodyToMemory(response: Pick<SafeResponse, "readAll">, progress: DownloadProgress): Promise<Buffer> {
  const bytes = await response.readAll();
  await progress.gate.judgeWhole(bytes);
  progress.digests.update(bytes);
  progress.bytes += bytes.length;
  return bytes;
}

export interface WriteBodyOptions {
  /** "wx" for a new random part, "w" to start a keyed part over, "a" to resume it. */
  flags: "wx" | "w" | "a";
  maxBytes: number;
  host: string;
}

export async function writeBodyToPart(body: Readable, file: string, progress: DownloadProgress, options: WriteBodyOptions): Promise<void> {
  const pass = (callback: (err?: Error | null, data?: Buffer) => void) => (bytes: Buffer) =>
    bytes.length > 0 ? callback(null, bytes) : callback();
  const inspect = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      progress.digests.update(chunk);
      progress.bytes += chunk.length;
      if (progress.bytes > options.maxBytes) {
        return callback(overLimitError(options.host, options.maxBytes));
      }
      // Once judged, chunks pass straight through: no promise per chunk on a 2 GB file.
      if (progress.gate.media) return callback(null, chunk);
      progress.gate.push(chunk).then(pass(callback), callback);
    },
    flush(callback) {
      progress.gate.finish().then(pass(callback), callback);
    },
  });
  // A large buffer lets the file stream gather the chunks that arrive during one write into
  // the next (writev), instead of one system call per network chunk.
  const out = fs.createWriteStream(file, { flags: options.flags, highWaterMark: WRITE_BUFFER_BYTES });
  try {
    await pipeline(body, inspect, out);
  } catch (error) {
    // pipeline can reject before the file stream has even opened its file; the caller then
    // deletes the part, and the late open would make it again. Wait for the stream to close.
    if (!out.closed) await new Promise<void>((resolve) => out.once("close", () => resolve()));
    throw error;
  }
}
