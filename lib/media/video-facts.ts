import fsp from "node:fs/promises";
import mediaInfoFactory, { isTrackType, type MediaInfo } from "mediainfo.js";

// Size and duration of a stored video, read with MediaInfoLib (compiled to wasm) through
// its chunked reader: it asks for the byte ranges it needs (e.g. an MP4's moov box at the
// end of a 2 GB file), so only those are read.
//
// The wasm file is found by mediainfo.js itself, next to its own module file; this works
// because the package is loaded from node_modules, not bundled (serverExternalPackages
// in next.config.ts).

export interface VideoFacts {
  width: number | null;
  height: number | null;
  durationMs: number | null;
}

let instance: Promise<MediaInfo> | null = null;
let queue: Promise<unknown> = Promise.resolve();

function mediaInfo(): Promise<MediaInfo> {
  instance ??= mediaInfoFactory({ format: "object" }).catch((err: unknown) => {
    instance = null; // let a later call try again
    throw err;
  });
  return instance;
}

function finiteNumber(value: unknown): number | null {
  const n = typeof value === "string" ? Number.parseFloat(value) : value;
  return typeof n === "number" && Number.isFinite(n) ? n : null;
}

function dimension(value: unknown): number | null {
  const n = finiteNumber(value);
  return n !== null && n > 0 ? Math.round(n) : null;
}

/** A video's bytes, read a range at a time: a local file, or an object in the store. */
export interface ChunkSource {
  size: number;
  readChunk(offset: number, length: number): Promise<Uint8Array>;
}

async function analyze(input: string | ChunkSource): Promise<VideoFacts> {
  const file = typeof input === "string" ? await fsp.open(input, "r") : null;
  try {
    const source: ChunkSource = file
      ? {
          size: (await file.stat()).size,
          readChunk: async (offset, length) => {
            const chunk = new Uint8Array(length);
            const { bytesRead } = await file.read(chunk, 0, length, offset);
            return chunk.subarray(0, bytesRead);
          },
        }
      : (input as ChunkSource);
    const mi = await mediaInfo();
    const result = await mi.analyzeData(source.size, (size, offset) => source.readChunk(offset, size));
    const tracks = result.media?.track ?? [];
    const video = tracks.find((track) => isTrackType(track, "Video"));
    if (!video) throw new Error("no video track found");
    const general = tracks.find((track) => isTrackType(track, "General"));
    const seconds = finiteNumber(general?.Duration);

    let width = dimension(video.Width);
    let height = dimension(video.Height);
    // Width and Height are the stored picture; a phone video recorded upright is stored
    // sideways with a 90/270 degree rotation, so it displays with the sides swapped.
    if (Math.abs((finiteNumber(video.Rotation) ?? 0) % 180) === 90) [width, height] = [height, width];
    return { width, height, durationMs: seconds === null ? null : Math.round(seconds * 1000) };
  } finally {
    await file?.close();
  }
}

/** Width and height as displayed, and duration, of a video (a file's path or its chunks); throws if it has no video track. */
export function videoFacts(input: string | ChunkSource): Promise<VideoFacts> {
  // A MediaInfo instance analyses one file at a time, so calls wait for the previous one.
  const run = queue.then(() => analyze(input));
  // The queue only orders calls: each caller gets its own result or error from `run`.
  queue = run.then(
    () => undefined,
    () => undefined,
  );
  return run;
}
