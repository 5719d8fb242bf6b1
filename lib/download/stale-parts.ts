import fsp from "node:fs/promises";
import path from "node:path";
import { isPartInUse } from "@/lib/download/part-file";

// Kept parts are only useful while their item may still be retried. This removes the ones
// nobody came back for (and parts a crash left behind), judged by when they were last written.

const PART_FILE = /\.part(\.json)?$/;

/** Deletes .part files (and sidecars) in tmpDir untouched for maxAgeMs; returns their names. */
export async function removeStaleParts(tmpDir: string, maxAgeMs: number, now = Date.now()): Promise<string[]> {
  let names: string[];
  try {
    names = await fsp.readdir(tmpDir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw err;
  }
  const removed: string[] = [];
  for (const name of names.filter((n) => PART_FILE.test(n)).sort()) {
    const file = path.join(tmpDir, name);
    if (isPartInUse(file.replace(/\.json$/, ""))) continue;
    const info = await fsp.stat(file).catch((err: NodeJS.ErrnoException) => {
      if (err.code === "ENOENT") return null;
      throw err;
    });
    if (!info?.isFile() || now - info.mtimeMs < maxAgeMs) continue;
    await fsp.rm(file, { force: true });
    removed.push(name);
  }
  return removed;
}
