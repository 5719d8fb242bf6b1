/** Decompression-bomb guard: images with more pixels than this are not decoded. */
export const MAX_INPUT_PIXELS = 100_000_000;
