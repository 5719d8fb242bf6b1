import { imageSize } from "image-size";

// An image's display size read from its header bytes, without decoding it or touching the
// disk: about a microsecond against a quarter of a millisecond for sharp.metadata() on the
// file. Null when the header is not understood (or not all in `bytes`); callers then ask sharp.

export interface Dimensions {
  width: number;
  height: number;
}

/** EXIF orientations 5–8 rotate the picture by 90°: width and height trade places on screen. */
const QUARTER_TURNS = new Set([5, 6, 7, 8]);

export function headerDimensions(bytes: Uint8Array): Dimensions | null {
  let size: ReturnType<typeof imageSize>;
  try {
    size = imageSize(bytes);
  } catch {
    // image-size throws for unknown types and cut-off headers alike: both mean "ask sharp".
    return null;
  }
  const { width, height } = size;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0) return null;
  return size.orientation !== undefined && QUARTER_TURNS.has(size.orientation) ? { width: height, height: width } : { width, height };
}
