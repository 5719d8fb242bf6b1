import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import fsp from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import sharp from "sharp";
import { videoFacts, type VideoFacts } from "@/lib/media/video-facts";

// Expected values were read with ffprobe; the tests themselves need no ffmpeg. The files in
// tests/fixtures/media was made with ffmpeg 5.1:
//   moov-at-end.mp4 (no +faststart, so the moov box comes after the media data):
//     ffmpeg -f lavfi -i testsrc=size=120x72:rate=10:duration=1 -c:v libx264 -crf 35 -pix_fmt yuv420p -map_metadata -1 moov-at-end.mp4
//   rotated-90.mp4 (a 160x96 picture with a 90 degree display matrix):
//     ffmpeg -f lavfi -i testsrc=size=160x96:rate=10:duration=2 -c:v libx264 -crf 35 -pix_fmt yuv420p -map_metadata -1 plain.mp4
//     ffmpeg -i plain.mp4 -c copy -metadata:s:v:0 rotate=90 -movflags +faststart rotated-90.mp4
const fixture = (relative: string) => fileURLToPath(new URL(relative, import.meta.url));
const WEBM = fixture("../../e2e/fixtures/clip-1.webm");
const MP4 = fixture("../../e2e/fixtures/clip-2.mp4");
const MOOV_AT_END = fixture("../../tests/fixtures/media/moov-at-end.mp4");
const ROTATED = fixture("../../tests/fixtures/media/rotated-90.mp4");

type Expected = { width: number; height: number; durationMs: number };
const CLIP: Expected = { width: 96, height: 64, durationMs: 1000 };
const MOOV_AT_END_FACTS: Expected = { width: 120, height: 72, durationMs: 1000 };
const ROTATED_FACTS: Expected = { width: 96, height: 160, durationMs: 2000 };
// Fixed bytes, not random ones: one CI run's random 8 KB parsed as a 4x4 video.
const NOT_A_VIDEO = Buffer.alloc(8192, "not a video, only text; ");

let dir: string;

beforeAll(async () => {
  dir = await fsp.mkdtemp(path.join(os.tmpdir(), "trawl-video-facts-"));
});

afterAll(async () => {
  await fsp.rm(dir, { recursive: true, force: true });
});

function expectFacts(actual: VideoFacts, expected: Expected) {
  expect(actual).toEqual({ width: expected.width, height: expected.height, durationMs: expect.any(Number) });
  expect(Math.abs((actual.durationMs ?? NaN) - expected.durationMs)).toBeLessThanOrEqual(5);
}

/** Offset of the top-level moov box. */
function moovOffset(mp4: Buffer): number {
  for (let at = 0; at < mp4.length; at += mp4.readUInt32BE(at)) {
    if (mp4.toString("latin1", at + 4, at + 8) === "moov") return at;
  }
  throw new Error("no moov box");
}

describe("videoFacts", () => {
  it("reads a WebM", async () => {
    expectFacts(await videoFacts(WEBM), CLIP);
  });

  it("reads an MP4", async () => {
    expectFacts(await videoFacts(MP4), CLIP);
  });

  it("reads an MP4 whose moov box is at the end", async () => {
    expectFacts(await videoFacts(MOOV_AT_END), MOOV_AT_END_FACTS);
  });

  it("seeks to a moov box more than 4 GiB into the file instead of reading up to it", async () => {
    // The fixture with a 5 GiB free box (a hole in a sparse file) between the media data and
    // the moov box. Reading the whole file, or 32-bit offsets, would fail here.
    const src = await fsp.readFile(MOOV_AT_END);
    const moovAt = moovOffset(src);
    const gap = 5 * 2 ** 30;
    const freeBox = Buffer.alloc(16);
    freeBox.writeUInt32BE(1, 0); // size 1: the real size follows as 64 bits
    freeBox.write("free", 4, "latin1");
    freeBox.writeBigUInt64BE(BigInt(gap), 8);
    const file = path.join(dir, "huge.mp4");
    const handle = await fsp.open(file, "w");
    try {
      await handle.write(src, 0, moovAt, 0);
      await handle.write(freeBox, 0, freeBox.length, moovAt);
      await handle.write(src, moovAt, src.length - moovAt, moovAt + gap);
    } finally {
      await handle.close();
    }
    expect((await fsp.stat(file)).size).toBeGreaterThan(2 ** 32);
    expectFacts(await videoFacts(file), MOOV_AT_END_FACTS);
  });

  it("reports the displayed size of a video rotated by 90 degrees", async () => {
    expectFacts(await videoFacts(ROTATED), ROTATED_FACTS);
  });

  it("rejects a file without a video track", async () => {
    const png = path.join(dir, "picture.png");
    await sharp({ create: { width: 32, height: 24, channels: 3, background: "#336699" } })
      .png()
      .toFile(png);
    const noise = path.join(dir, "noise.bin");
    await fsp.writeFile(noise, NOT_A_VIDEO);
    const empty = path.join(dir, "empty.mp4");
    await fsp.writeFile(empty, "");
    for (const file of [png, noise, empty]) {
      await expect(videoFacts(file)).rejects.toThrow("no video track found");
    }
  });

  it("rejects a missing file with ENOENT", async () => {
    await expect(videoFacts(path.join(dir, "missing.mp4"))).rejects.toMatchObject({ code: "ENOENT" });
  });

  it("passes on a read error, and the next call still works", async () => {
    // Opening a directory succeeds on Linux; reading from it fails.
    await expect(videoFacts(dir)).rejects.toMatchObject({ code: "EISDIR" });
    expectFacts(await videoFacts(MP4), CLIP);
  });

  it("gives every one of several parallel calls its own answer", async () => {
    const noise = path.join(dir, "parallel-noise.bin");
    await fsp.writeFile(noise, NOT_A_VIDEO);
    const [webm, bad, rotated, mp4, moovAtEnd] = await Promise.allSettled(
      [WEBM, noise, ROTATED, MP4, MOOV_AT_END].map((file) => videoFacts(file)),
    );
    expect(bad).toMatchObject({ status: "rejected", reason: { message: "no video track found" } });
    const value = (result: PromiseSettledResult<VideoFacts>) => {
      if (result.status === "rejected") throw result.reason;
      return result.value;
    };
    expectFacts(value(webm), CLIP);
    expectFacts(value(rotated), ROTATED_FACTS);
    expectFacts(value(mp4), CLIP);
    expectFacts(value(moovAtEnd), MOOV_AT_END_FACTS);
  });

  it("creates MediaInfo once, passes on a failure to create it, and tries again on the next call", async () => {
    vi.resetModules();
    const real = await vi.importActual<typeof import("mediainfo.js")>("mediainfo.js");
    const factory = vi.fn(real.default).mockRejectedValueOnce(new Error("wasm missing"));
    vi.doMock("mediainfo.js", () => ({ ...real, default: factory }));
    try {
      const { videoFacts: freshVideoFacts } = await import("@/lib/media/video-facts");
      await expect(freshVideoFacts(MP4)).rejects.toThrow("wasm missing");
      expectFacts(await freshVideoFacts(MP4), CLIP);
      expectFacts(await freshVideoFacts(WEBM), CLIP);
      expect(factory).toHaveBeenCalledTimes(2);
    } finally {
      vi.doUnmock("mediainfo.js");
      vi.resetModules();
    }
  });
});
