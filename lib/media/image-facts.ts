import sharp from "sharp";
import type { Storage } from "@/lib/storage/types";
import { discardTempFile, tempPath } from "@/lib/download/temp-files";
import { MAX_INPUT_PIXELS } from "@/lib/media/image-limits";
import { dHash64 } from "@/lib/media/perceptual-hash";
import { headerDimensions } from "@/lib/media/image-dimensions";
import { thumbKey } from "@/lib/storage/keys";

// Size, thumbnail and perceptual hash of a stored image. Failures here never lose the
// stored file: they come back as warnings next to whatever could be learned.

/** An image as a file path, or its whole bytes when it was downloaded into memory. */
export type ImageInput = string | Buffer;

export const THUMBNAIL_WIDTH = 320;
export { MAX_INPUT_PIXELS };

export interface ImageFacts {
  width: number | null;
  height: number | null;
  thumbKey: string | null;
  perceptualHash: string | null;
  warnings: string[];
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export async function makeThumbnail(source: ImageInput, key: string, storage: Storage, tmpDir: string): Promise<void> {
  const tmp = tempPath(tmpDir, ".webp.part");
  try {
    await sharp(source, { limitInputPixels: MAX_INPUT_PIXELS, animated: false })
      .autoOrient()
      .resize({ width: THUMBNAIL_WIDTH, withoutEnlargement: true })
      .webp({ quality: 75 })
      .toFile(tmp);
    await storage.put(tmp, key);
  } catch (err) {
    await discardTempFile(tmp);
    throw err;
  }
}

/** `head` is the file's first bytes (all of them for a file in memory): its header usually says the size. */
export async function imageFacts(
  source: ImageInput,
  head: Uint8Array,
  sha256: string,
  storage: Storage,
  tmpDir: string,
  options: { thumbnail: boolean; perceptualHash: boolean } = { thumbnail: true, perceptualHash: true },
): Promise<ImageFacts> {
  const facts: ImageFacts = { width: null, height: null, thumbKey: null, perceptualHash: null, warnings: [] };
  const header = headerDimensions(head);
  if (header.ok) {
    facts.width = header.dimensions.width;
    facts.height = header.dimensions.height;
  } else {
    try {
      // metadata() reads only the header, so the pixel limit (which it also applies) is lifted
      // here: a too-large image still gets its real size reported.
      const metadata = await sharp(source, { limitInputPixels: false }).metadata();
      facts.width = metadata.autoOrient.width;
      facts.height = metadata.autoOrient.height;
    } catch (err) {
      facts.warnings.push(`could not read the image size: ${messageOf(err)} (from its header bytes: ${header.reason})`);
    }
  }
  // Without a thumbnail now, the first request for it makes it (or finds one already made).
  if (options.thumbnail) {
    const key = thumbKey(sha256);
    try {
      if (!(await storage.exists(key))) await makeThumbnail(source, key, storage, tmpDir);
      facts.thumbKey = key;
    } catch (err) {
      facts.warnings.push(`no thumbnail: ${messageOf(err)}`);
    }
  }
  if (options.perceptualHash) {
    try {
      facts.perceptualHash = await dHash64(source);
    } catch (err) {
      facts.warnings.push(`no perceptual hash: ${messageOf(err)}`);
    }
  }
  return facts;
}
