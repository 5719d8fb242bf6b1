import { imageSize } from "image-size";

// An image's display size read from its header bytes, without decoding it or touching the
// disk: about a microsecond against a quarter of a millisecond for sharp.metadata() on the
// file. When the header is not understood (or not all in `bytes`) the answer says why, and
// callers ask sharp.

export interface Dimensions {
  width: number;
  height: number;
}

/** EXIF orientations 5–8 rotate the picture by 90°: width and height trade places on screen. */
const QUARTER_TURNS = new Set([5, 6, 7, 8]);

export type HeaderReading = { ok: true; dimensions: Dimensions } | { ok: false; reason: string };

export function headerDimensions(bytes: Uint8Array): HeaderReading {
  let size: ReturnType<typeof imageSize>;
  try {
    size = imageSize(bytes);
  } catch (error) {
    // image-size throws for unknown types and cut-off headers alike.
    return { ok: false, reason: error instanceof Error ? error.message : String(error) };
  }
  const { width, height } = size;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0) {
    return { ok: false, reason: `the header says ${width}×${height}` };
  }
  const turned = size.orientation !== undefined && QUARTER_TURNS.has(size.orientation);
  return { ok: true, dimensions: turned ? { width: height, height: width } : { width, height } };
}
