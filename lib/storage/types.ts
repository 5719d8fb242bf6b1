import type { Readable } from "node:stream";
import { z } from "zod";

// Where downloaded bytes live, whatever the backend (lib/storage/local.ts, lib/storage/s3.ts).
// Keys are relative paths such as files/ab/<sha256>.jpg and thumbs/ab/<sha256>.webp.

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
   * Moves a finished temporary file to `key` atomically; tmpPath is gone after. An object
   * already under `key` is replaced: keys are content addresses, so it held the same bytes.
   */
  put(tmpPath: string, key: string): Promise<void>;
  /** Stores `bytes` under `key` atomically (a staging file, then a rename), replacing as put does. */
  write(key: string, bytes: Uint8Array): Promise<void>;
  exists(key: string): Promise<boolean>;
  /** Removes the object; removing a missing key is not an error. */
  remove(key: string): Promise<void>;
  /** The object's bytes, or those of the range; rejects when there is no object under key. */
  read(key: string, range?: ByteRange): Promise<Readable>;
  /** null when there is no object under key. */
  stat(key: string): Promise<StoredObjectStat | null>;
  /** Where the objects are, for health checks and logs (no credentials). */
  describe(): string;
}

export const storageKeySchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9._-]*(\/[a-z0-9][a-z0-9._-]*)*$/, "a storage key is lower-case path segments like files/ab/<sha256>.jpg")
  .refine((key) => !key.split("/").includes(".."), "a storage key cannot contain ..");

export const byteRangeSchema = z
  .object({ start: z.number().int().min(0), end: z.number().int().min(0).optional() })
  .refine((r) => r.end === undefined || r.end >= r.start, "a byte range cannot end before it starts");
