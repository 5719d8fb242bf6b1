import { afterAll, beforeAll, describe, expect, it } from "vitest";
import fsp from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import sharp, { type Sharp } from "sharp";
import { dHash64, hammingDistance } from "@/lib/media/perceptual-hash";

let dir: string;

beforeAll(async () => {
  dir = await fsp.mkdtemp(path.join(os.tmpdir(), "trawl-phash-"));
});

afterAll(async () => {
  await fsp.rm(dir, { recursive: true, force: true });
});

/** A picture with structure (soft light blobs on a dark ground); blobs are [x, y, radius] as fractions. */
function blobPixels(width: number, height: number, blobs: Array<[number, number, number]>): Buffer {
  const pixels = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let light = 0;
      for (const [bx, by, r] of blobs) {
        const dx = x / width - bx;
        const dy = y / height - by;
        light += Math.exp(-(dx * dx + dy * dy) / (2 * r * r));
      }
      const v = Math.min(255, Math.round(30 + 220 * light));
      pixels.set([v, Math.round(v * 0.8), 255 - Math.round(v / 2)], (y * width + x) * 3);
    }
  }
  return pixels;
}

async function save(name: string, image: Sharp): Promise<string> {
  const file = path.join(dir, name);
  await image.toFile(file);
  return file;
}

const SCENE_A: Array<[number, number, number]> = [
  [0.25, 0.3, 0.12],
  [0.7, 0.6, 0.2],
  [0.45, 0.85, 0.08],
];
const SCENE_B: Array<[number, number, number]> = [
  [0.8, 0.2, 0.15],
  [0.15, 0.75, 0.18],
  [0.55, 0.45, 0.1],
];
const raw = (width: number, height: number) => ({ raw: { width, height, channels: 3 as const } });

describe("dHash64", () => {
  it("gives 16 hex digits, the same for the same file", async () => {
    const file = await save("a.png", sharp(blobPixels(640, 480, SCENE_A), raw(640, 480)).png());
    const hash = await dHash64(file);
    expect(hash).toMatch(/^[0-9a-f]{16}$/);
    expect(await dHash64(file)).toBe(hash);
  });

  it("keeps a re-encoded, resized copy within distance 8, and different pictures far apart", async () => {
    const png = await save("scene-a.png", sharp(blobPixels(640, 480, SCENE_A), raw(640, 480)).png());
    const jpeg = await save("scene-a-small.jpg", sharp(png).resize(300, 225).jpeg({ quality: 60 }));
    const otherPng = await save("scene-b.png", sharp(blobPixels(640, 480, SCENE_B), raw(640, 480)).png());
    const [a, aJpeg, b] = await Promise.all([dHash64(png), dHash64(jpeg), dHash64(otherPng)]);
    expect(hammingDistance(a, aJpeg)).toBeLessThanOrEqual(8);
    expect(hammingDistance(a, b)).toBeGreaterThan(20);
  });

  it("fails on a file that is not an image", async () => {
    const file = path.join(dir, "not-an-image.png");
    await fsp.writeFile(file, "hello");
    await expect(dHash64(file)).rejects.toThrow(/unsupported image format/i);
  });
});

describe("hammingDistance", () => {
  it("counts differing bits", () => {
    expect(hammingDistance("0000000000000000", "0000000000000000")).toBe(0);
    expect(hammingDistance("0000000000000000", "ffffffffffffffff")).toBe(64);
    expect(hammingDistance("8000000000000001", "0000000000000000")).toBe(2);
    expect(hammingDistance("00000000000000f0", "000000000000000f")).toBe(8);
  });

  it("refuses strings that are not 64-bit hashes", () => {
    expect(() => hammingDistance("abc", "0000000000000000")).toThrow('not a 64-bit perceptual hash: "abc"');
    expect(() => hammingDistance("0000000000000000", "000000000000000G")).toThrow(/not a 64-bit perceptual hash/);
  });
});
