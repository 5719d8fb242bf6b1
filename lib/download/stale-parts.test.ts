import { afterEach, beforeEach, describe, expect, it } from "vitest";
import fsp from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { removeStaleParts } from "@/lib/download/stale-parts";
import { openPartFile, resumablePartPath } from "@/lib/download/part-file";

const DAY = 24 * 60 * 60 * 1000;
let tmpDir: string;

beforeEach(async () => {
  tmpDir = await fsp.mkdtemp(path.join(os.tmpdir(), "trawl-stale-parts-"));
});

afterEach(async () => {
  await fsp.rm(tmpDir, { recursive: true, force: true });
});

async function fileAged(name: string, ageMs: number, now: number) {
  const file = path.join(tmpDir, name);
  await fsp.writeFile(file, "x");
  const when = new Date(now - ageMs);
  await fsp.utimes(file, when, when);
}

describe("removeStaleParts", () => {
  it("removes old parts and sidecars, keeps recent ones and other files", async () => {
    const now = Date.now();
    await fileAged("old.part", 8 * DAY, now);
    await fileAged("old.part.json", 8 * DAY, now);
    await fileAged("thumb.webp.part", 8 * DAY, now);
    await fileAged("recent.part", DAY, now);
    await fileAged("notes.txt", 30 * DAY, now);
    expect(await removeStaleParts(tmpDir, 7 * DAY, now)).toEqual(["old.part", "old.part.json", "thumb.webp.part"]);
    expect((await fsp.readdir(tmpDir)).sort()).toEqual(["notes.txt", "recent.part"]);
  });

  it("leaves a part alone while a download holds it", async () => {
    const now = Date.now();
    const part = await openPartFile(tmpDir, "http://example.org/a.png", "item-1");
    try {
      const name = path.basename(resumablePartPath(tmpDir, "item-1"));
      await fileAged(name, 8 * DAY, now);
      await fileAged(`${name}.json`, 8 * DAY, now);
      expect(await removeStaleParts(tmpDir, 7 * DAY, now)).toEqual([]);
    } finally {
      part.release();
    }
  });

  it("treats a missing directory as empty", async () => {
    expect(await removeStaleParts(path.join(tmpDir, "missing"), DAY)).toEqual([]);
  });
});
