import fs from "node:fs";
import fsp from "node:fs/promises";
import path from "node:path";
import { randomUUID } from "node:crypto";
import type { Readable } from "node:stream";
import { z } from "zod";

// Where downloaded bytes live. Keys are relative paths such as files/ab/<sha256>.jpg and
// thumbs/ab/<sha256>.webp; the local backend maps them under the data directory.

export interface StoredObjectStat {
  bytes: number;
  modifiedAt: Date;
}

export interface ByteRange {
  start: number;
  /** Inclusive, like HTTP Range. */
  end?: number;
}

export interface Storage {
  /**
   * Moves a finished temporary file to `key` atomically. If `key` already holds an object
   * (content-addressed keys: same bytes), it is left as is. Either way tmpPath is gone after.
   */
  put(tmpPath: string, key: string): Promise<void>;
  exists(key: string): Promise<boolean>;
  absolutePath(key: string): string;
  /** Removes the object; removing a missing key is not an error. */
  remove(key: string): Promise<void>;
  createReadStream(key: string, range?: ByteRange): Readable;
  /** null when there is no object under key. */
  stat(key: string): Promise<StoredObjectStat | null>;
}

export const storageKeySchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9._-]*(\/[a-z0-9][a-z0-9._-]*)*$/, "a storage key is lower-case path segments like files/ab/<sha256>.jpg")
  .refine((key) => !key.split("/").includes(".."), "a storage key cannot contain ..");

const byteRangeSchema = z
  .object({ start: z.number().int().min(0), end: z.number().int().min(0).optional() })
  .refine((r) => r.end === undefined || r.end >= r.start, "a byte range cannot end before it starts");

function isMissing(err: unknown): boolean {
  return (err as NodeJS.ErrnoException | null)?.code === "ENOENT";
}

/** rename(2) cannot cross file systems; copy next to the target first, then rename there. */
async function moveAtomically(from: string, to: string): Promise<void> {
  try {
    await fsp.rename(from, to);
    return;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "EXDEV") throw err;
  }
  const staging = `${to}.${randomUUID()}.part`;
  await fsp.copyFile(from, staging);
  try {
    await fsp.rename(staging, to);
  } catch (err) {
    await fsp.rm(staging, { force: true });
    throw err;
  }
  await fsp.unlink(from);
}

export function localStorage(rootDir: string): Storage {
  const root = path.resolve(rootDir);
  /** Folders this process made or found, so a put costs no mkdir per file. */
  const knownFolders = new Set<string>();

  function absolutePath(key: string): string {
    return path.join(root, storageKeySchema.parse(key));
  }

  async function stat(key: string): Promise<StoredObjectStat | null> {
    try {
      const info = await fsp.stat(absolutePath(key));
      return { bytes: info.size, modifiedAt: info.mtime };
    } catch (err) {
      if (isMissing(err)) return null;
      throw err;
    }
  }

  return {
    absolutePath,
    stat,
    async exists(key) {
      return (await stat(key)) !== null;
    },
    async put(tmpPath, key) {
      const target = absolutePath(key);
      if (await stat(key)) {
        await fsp.unlink(tmpPath);
        return;
      }
      const folder = path.dirname(target);
      if (!knownFolders.has(folder)) {
        await fsp.mkdir(folder, { recursive: true });
        knownFolders.add(folder);
      }
      try {
        await moveAtomically(tmpPath, target);
      } catch (err) {
        // The folder was removed behind our back: make it again, once.
        if (!isMissing(err) || !(await fsp.stat(tmpPath).then(() => true, () => false))) throw err;
        await fsp.mkdir(folder, { recursive: true });
        await moveAtomically(tmpPath, target);
      }
    },
    async remove(key) {
      await fsp.rm(absolutePath(key), { force: true });
    },
    createReadStream(key, range) {
      const { start, end } = range ? byteRangeSchema.parse(range) : { start: undefined, end: undefined };
      return fs.createReadStream(absolutePath(key), { start, end });
    },
  };
}
