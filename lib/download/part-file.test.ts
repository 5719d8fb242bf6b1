import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createHash } from "node:crypto";
import fsp from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { discardResumablePart, openPartFile, resumablePartPath } from "@/lib/download/part-file";

const URL_A = "http://example.org/a.png";
let tmpDir: string;

beforeEach(async () => {
  tmpDir = await fsp.mkdtemp(path.join(os.tmpdir(), "trawl-part-file-"));
});

afterEach(async () => {
  await fsp.rm(tmpDir, { recursive: true, force: true });
});

const listed = async () => (await fsp.readdir(tmpDir)).sort();

/** What a first, cut-off call leaves: part bytes and the first response's record. */
async function leaveCutPart(key: string, bytes: number, url = URL_A) {
  const part = await openPartFile(tmpDir, url, key);
  await fsp.writeFile(part.path, Buffer.alloc(bytes, 1));
  await part.recordOrigin({ url, validator: '"v1"', totalBytes: 5000, contentDisposition: null });
  part.release();
}

describe("openPartFile", () => {
  it("names a keyed part by the sha256 of its key", () => {
    const hash = createHash("sha256").update("item-1").digest("hex");
    expect(resumablePartPath("/data/tmp", "item-1")).toBe(`/data/tmp/${hash}.part`);
  });

  it("gives a random, non-resumable part without a key", async () => {
    const [a, b] = await Promise.all([openPartFile(tmpDir, URL_A), openPartFile(tmpDir, URL_A)]);
    expect(a.path).not.toBe(b.path);
    expect([a.keyed, a.resumable, a.resumeFrom]).toEqual([false, false, null]);
  });

  it("resumes a part left by an earlier call for the same URL", async () => {
    await leaveCutPart("item-1", 1200);
    const part = await openPartFile(tmpDir, URL_A, "item-1");
    try {
      expect(part.resumeFrom).toEqual({ offset: 1200, validator: '"v1"', totalBytes: 5000 });
      expect(part.resumable).toBe(true);
      expect(part.warnings).toEqual([]);
    } finally {
      part.release();
    }
  });

  it("starts over, deleting the leftovers, when the URL changed", async () => {
    await leaveCutPart("item-1", 1200);
    const part = await openPartFile(tmpDir, "http://example.org/b.png", "item-1");
    part.release();
    expect(part.resumeFrom).toBeNull();
    expect(await listed()).toEqual([]);
  });

  it("starts over with a warning when the sidecar is unreadable", async () => {
    await leaveCutPart("item-1", 1200);
    await fsp.writeFile(`${resumablePartPath(tmpDir, "item-1")}.json`, "{ not json");
    const part = await openPartFile(tmpDir, URL_A, "item-1");
    part.release();
    expect(part.resumeFrom).toBeNull();
    expect(part.warnings).toEqual([
      expect.stringMatching(/^a saved partial download was discarded: its record [0-9a-f]{64}\.part\.json is unreadable/),
    ]);
    expect(await listed()).toEqual([]);
  });

  it("starts over when the part is longer than the file", async () => {
    await leaveCutPart("item-1", 6000);
    const part = await openPartFile(tmpDir, URL_A, "item-1");
    part.release();
    expect(part.resumeFrom).toBeNull();
    expect(await listed()).toEqual([]);
  });

  it("does not keep a sidecar for a response without a validator", async () => {
    const part = await openPartFile(tmpDir, URL_A, "item-1");
    await part.recordOrigin({ url: URL_A, validator: null, totalBytes: null, contentDisposition: null });
    part.release();
    expect(part.resumable).toBe(false);
    expect(await listed()).toEqual([]);
  });
});

describe("discardResumablePart", () => {
  it("deletes a kept part and its sidecar", async () => {
    await leaveCutPart("item-1", 1200);
    expect(await listed()).toHaveLength(2);
    await discardResumablePart(tmpDir, "item-1");
    expect(await listed()).toEqual([]);
  });

  it("refuses while the part is being written", async () => {
    const part = await openPartFile(tmpDir, URL_A, "item-1");
    try {
      await expect(discardResumablePart(tmpDir, "item-1")).rejects.toThrow("cannot discard a partial download that is in progress");
    } finally {
      part.release();
    }
  });
});
