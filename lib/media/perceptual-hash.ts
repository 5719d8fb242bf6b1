import sharp from "sharp";
import { MAX_INPUT_PIXELS } from "@/lib/media/image-limits";

// dHash: the image shrunk to 9×8 grey pixels, one bit per pair of horizontal neighbours
// (1 where the left one is brighter). Re-encoding, resizing and mild edits flip few bits,
// so a small Hamming distance between two hashes means "probably the same picture".

const WIDTH = 9;
const HEIGHT = 8;
const HASH_PATTERN = /^[0-9a-f]{16}$/;

/** The 64-bit difference hash of an image (a file path or its bytes), as 16 lower-case hex digits. */
export async function dHash64(image: string | Buffer): Promise<string> {
  const { data, info } = await sharp(image, { limitInputPixels: MAX_INPUT_PIXELS, animated: false })
    .autoOrient()
    .greyscale()
    .resize(WIDTH, HEIGHT, { fit: "fill" })
    .raw()
    .toBuffer({ resolveWithObject: true });
  if (info.width !== WIDTH || info.height !== HEIGHT || info.channels !== 1) {
    throw new Error(`internal: expected ${WIDTH}×${HEIGHT} grey pixels, got ${info.width}×${info.height}×${info.channels}`);
  }
  let hash = 0n;
  for (let y = 0; y < HEIGHT; y++) {
    for (let x = 0; x < WIDTH - 1; x++) {
      const left = data[y * WIDTH + x];
      const right = data[y * WIDTH + x + 1];
      hash = (hash << 1n) | (left > right ? 1n : 0n);
    }
  }
  return hash.toString(16).padStart(16, "0");
}

/** How many of the 64 bits differ between two hashes from dHash64. */
export function hammingDistance(a: string, b: string): number {
  for (const hash of [a, b]) {
    if (!HASH_PATTERN.test(hash)) throw new Error(`not a 64-bit perceptual hash: ${JSON.stringify(hash)}`);
  }
  let diff = BigInt(`0x${a}`) ^ BigInt(`0x${b}`);
  let count = 0;
  while (diff > 0n) {
    count += Number(diff & 1n);
    diff >>= 1n;
  }
  return count;
}
