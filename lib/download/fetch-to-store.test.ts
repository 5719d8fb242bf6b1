import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createHash } from "node:crypto";
import fsp from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import sharp from "sharp";
import { fetchToStore, MediaRejectedError, type FetchToStoreOptions } from "@/lib/download/fetch-to-store";
import { BlockedUrlError, HttpError } from "@/lib/net/http-client";
import { localStorage } from "@/lib/storage/local";
import { LARGE_BODY_BYTES, startFixtureServer, testFetchOptions, type FixtureServer } from "@/tests/support/download-test-server";

let fixture: FixtureServer;
let dataDir: string;
let opts: FetchToStoreOptions;

beforeAll(async () => {
  fixture = await startFixtureServer();
});

afterAll(async () => {
  await fixture.close();
});

beforeEach(async () => {
  dataDir = await fsp.mkdtemp(path.join(os.tmpdir(), "trawl-fetch-to-store-"));
  opts = {
    expected: "any",
    storage: localStorage(dataDir),
    tmpDir: path.join(dataDir, "tmp"),
    fetch: testFetchOptions(fixture.allowEntry),
  };
});

afterEach(async () => {
  await fsp.rm(dataDir, { recursive: true, force: true });
});

function sha256(bytes: Buffer): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/** Every file under dir, relative, so tests can assert exactly what is on disk. */
async function filesUnder(dir: string): Promise<string[]> {
  const entries = await fsp.readdir(dir, { recursive: true, withFileTypes: true }).catch((err: NodeJS.ErrnoException) => {
    if (err.code === "ENOENT") return [];
    throw err;
  });
  return entries
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)))
    .sort();
}

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (err) {
    return err as Error;
  }
  throw new Error("expected fetchToStore to fail, it succeeded");
}

async function expectNothingStored() {
  expect(await filesUnder(path.join(dataDir, "tmp"))).toEqual([]);
  expect(await filesUnder(path.join(dataDir, "files"))).toEqual([]);
  expect(await filesUnder(path.join(dataDir, "thumbs"))).toEqual([]);
}

describe("fetchToStore", () => {
  it("stores an image under its sha256 with size, thumbnail and name", async () => {
    const stored = await fetchToStore(`${fixture.origin}/image.png`, { ...opts, expected: "image" });
    const hash = sha256(fixture.png);
    expect(stored).toEqual({
      sha256: hash,
      bytes: fixture.png.length,
      mime: "image/png",
      ext: "png",
      mediaType: "image",
      storageKey: `files/${hash.slice(0, 2)}/${hash}.png`,
      thumbKey: `thumbs/${hash.slice(0, 2)}/${hash}.webp`,
      width: 640,
      height: 480,
      perceptualHash: expect.stringMatching(/^[0-9a-f]{16}$/),
      originalName: "image.png",
      warnings: [],
    });
    const onDisk = await fsp.readFile(path.join(dataDir, stored.storageKey));
    expect(sha256(onDisk)).toBe(hash);
    const thumb = await sharp(path.join(dataDir, stored.thumbKey!)).metadata();
    expect({ format: thumb.format, width: thumb.width, height: thumb.height }).toEqual({ format: "webp", width: 320, height: 240 });
    expect(await filesUnder(path.join(dataDir, "tmp"))).toEqual([]);
  });

  it("stores the same bytes once, however they are reached", async () => {
    const first = await fetchToStore(`${fixture.origin}/image.png`, opts);
    const second = await fetchToStore(`${fixture.origin}/chain/3`, opts);
    expect(second.storageKey).toBe(first.storageKey);
    expect(second.thumbKey).toBe(first.thumbKey);
    expect(await filesUnder(path.join(dataDir, "files"))).toEqual([first.storageKey.slice("files/".length)]);
    expect(await filesUnder(path.join(dataDir, "thumbs"))).toEqual([first.thumbKey!.slice("thumbs/".length)]);
    expect(await filesUnder(path.join(dataDir, "tmp"))).toEqual([]);
  });

  it("trusts the bytes, not the Content-Type", async () => {
    const stored = await fetchToStore(`${fixture.origin}/no-type`, { ...opts, expected: "image" });
    expect(stored).toMatchObject({ mime: "image/jpeg", ext: "jpg", width: 800, height: 600, originalName: "no-type.jpg" });
    expect(stored.sha256).toBe(sha256(fixture.jpeg));
  });

  it("names the file from Content-Disposition, sanitized, with the sniffed extension", async () => {
    const cd = encodeURIComponent(`attachment; filename="../../etc/passwd.exe"; filename*=UTF-8''Caf%C3%A9%20%E2%80%AEgnp.jpg`);
    const stored = await fetchToStore(`${fixture.origin}/download?cd=${cd}`, opts);
    expect(stored.originalName).toBe("Café gnp.png");
  });

  it("stores a video without thumbnail or size", async () => {
    const stored = await fetchToStore(`${fixture.origin}/clip.mp4`, { ...opts, expected: "video" });
    expect(stored).toMatchObject({
      mediaType: "video",
      mime: "video/mp4",
      ext: "mp4",
      sha256: sha256(fixture.mp4),
      bytes: fixture.mp4.length,
      thumbKey: null,
      width: null,
      height: null,
      perceptualHash: null,
      originalName: "clip.mp4",
      warnings: [],
    });
  });

  it("refuses an HTML page served as image/jpeg", async () => {
    const err = await rejection(fetchToStore(`${fixture.origin}/html-as-jpeg`, { ...opts, expected: "image" }));
    expect(err).toEqual(new MediaRejectedError("expected media but got an HTML page"));
    await expectNothingStored();
  });

  it("refuses text and SVG", async () => {
    expect(await rejection(fetchToStore(`${fixture.origin}/text`, opts))).toEqual(
      new MediaRejectedError("expected media but got a text document"),
    );
    expect(await rejection(fetchToStore(`${fixture.origin}/svg`, { ...opts, expected: "image" }))).toEqual(
      new MediaRejectedError("SVG images are not accepted (they can contain scripts)"),
    );
    await expectNothingStored();
  });

  it("refuses an image where a video was expected and the reverse", async () => {
    expect(await rejection(fetchToStore(`${fixture.origin}/image.png`, { ...opts, expected: "video" }))).toEqual(
      new MediaRejectedError("expected a video but got an image (image/png)"),
    );
    expect(await rejection(fetchToStore(`${fixture.origin}/clip.mp4`, { ...opts, expected: "image" }))).toEqual(
      new MediaRejectedError("expected an image but got a video (video/mp4)"),
    );
    await expectNothingStored();
  });

  it("refuses files over the size cap, declared or streamed", async () => {
    const small = { ...opts, fetch: { ...opts.fetch, maxBytes: 64 * 1024 } };
    const declared = await rejection(fetchToStore(`${fixture.origin}/large`, small));
    expect(declared).toBeInstanceOf(MediaRejectedError);
    expect(declared.message).toBe(`response from ${fixture.allowEntry} is 256 KB, over the 64 KB limit`);
    const streamed = await rejection(fetchToStore(`${fixture.origin}/large-chunked`, small));
    expect(streamed).toBeInstanceOf(MediaRejectedError);
    expect(streamed.message).toBe(`response from ${fixture.allowEntry} is over the 64 KB limit`);
    await expectNothingStored();
    const fits = await fetchToStore(`${fixture.origin}/large-chunked`, { ...opts, fetch: { ...opts.fetch, maxBytes: LARGE_BODY_BYTES } });
    expect(fits.bytes).toBe(LARGE_BODY_BYTES);
  });

  it("passes refusals and HTTP errors through, leaving nothing behind", async () => {
    expect(await rejection(fetchToStore(`${fixture.origin}/redirect-private`, opts))).toEqual(
      new BlockedUrlError("refused: 10.1.2.3 is a private address"),
    );
    expect(await rejection(fetchToStore("http://169.254.169.254/latest/meta-data/", opts))).toEqual(
      new BlockedUrlError("refused: 169.254.169.254 is a link-local address"),
    );
    expect(await rejection(fetchToStore("file:///etc/passwd", opts))).toBeInstanceOf(BlockedUrlError);
    const missing = await rejection(fetchToStore(`${fixture.origin}/missing`, opts));
    expect(missing).toEqual(new HttpError(`HTTP 404 from ${fixture.allowEntry}`, 404));
    const limited = (await rejection(fetchToStore(`${fixture.origin}/rate-limited`, opts))) as HttpError;
    expect([limited.status, limited.retryAfterMs]).toEqual([429, 30_000]);
    await expectNothingStored();
  });

  it("keeps an image it cannot thumbnail and says why", async () => {
    const stored = await fetchToStore(`${fixture.origin}/corrupt-png`, opts);
    expect(stored.mime).toBe("image/png");
    expect(stored.thumbKey).toBeNull();
    expect(stored.perceptualHash).toBeNull();
    expect(stored.warnings.some((w) => w.startsWith("no thumbnail: "))).toBe(true);
    expect(stored.warnings.some((w) => w.startsWith("no perceptual hash: "))).toBe(true);
    expect(await filesUnder(path.join(dataDir, "files"))).toEqual([stored.storageKey.slice("files/".length)]);
    expect(await filesUnder(path.join(dataDir, "thumbs"))).toEqual([]);
    expect(await filesUnder(path.join(dataDir, "tmp"))).toEqual([]);
  });

  it("keeps an image whose size cannot be read and says why, from the header and from sharp", async () => {
    const stored = await fetchToStore(`${fixture.origin}/zero-width-png`, opts);
    expect([stored.mime, stored.width, stored.height]).toEqual(["image/png", null, null]);
    expect(stored.warnings).toContainEqual(
      expect.stringMatching(/^could not read the image size: .+ \(from its header bytes: the header says 0×\d+\)$/),
    );
  });

  it("does not decode an image claiming more pixels than the limit", async () => {
    const stored = await fetchToStore(`${fixture.origin}/bomb.png`, opts);
    expect(stored).toMatchObject({ width: 15_000, height: 15_000, thumbKey: null, perceptualHash: null });
    expect(stored.warnings).toEqual([
      expect.stringMatching(/^no thumbnail: .*pixel limit/i),
      expect.stringMatching(/^no perceptual hash: .*pixel limit/i),
    ]);
    expect(await filesUnder(path.join(dataDir, "tmp"))).toEqual([]);
  });

  it("stops on the caller's abort and deletes the part file", async () => {
    const controller = new AbortController();
    const reason = new Error("job cancelled");
    const pending = fetchToStore(`${fixture.origin}/stall`, { ...opts, signal: controller.signal });
    // The stall route sends 16 bytes and then nothing: wait for the .part file to appear.
    while ((await filesUnder(path.join(dataDir, "tmp"))).length === 0) await new Promise((r) => setTimeout(r, 10));
    controller.abort(reason);
    expect(await rejection(pending)).toBe(reason);
    await expectNothingStored();
  });
});
