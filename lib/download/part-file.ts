import fsp from "node:fs/promises";
import path from "node:path";
import { createHash } from "node:crypto";
import { z } from "zod";
import { discardTempFile, tempPath } from "@/lib/download/temp-files";
import type { ResumePoint } from "@/lib/download/range-resume";

// The .part file a download is written to. Without a resume key it has a random name and
// lives for one call. With one it is <tmpDir>/<sha256(key)>.part, and a <name>.part.json
// sidecar records what the first response said (validator, length, name), so the next
// call for the same key can ask for the rest instead of starting over.

const sidecarSchema = z.strictObject({
  url: z.string(),
  validator: z.string().min(1),
  totalBytes: z.number().int().min(0).nullable(),
  contentDisposition: z.string().nullable(),
});

export type PartOrigin = z.infer<typeof sidecarSchema>;

export interface PartFile {
  readonly path: string;
  /** Whether the part is named by a resume key (it may then be overwritten, never a random name). */
  readonly keyed: boolean;
  /** A previous call's part this one can continue, or null to start from zero. */
  readonly resumeFrom: ResumePoint | null;
  /** What the first response said (saved only when the part can be resumed). */
  readonly origin: PartOrigin | null;
  /** Whether the part is worth keeping after a transient failure (a resume key and a validator). */
  readonly resumable: boolean;
  /** Notes for the dashboard, e.g. a saved part that had to be thrown away. */
  readonly warnings: string[];
  /** Records the first response of a fresh download; without a validator the part is not resumable. */
  recordOrigin(origin: Omit<PartOrigin, "validator"> & { validator: string | null }): Promise<void>;
  /** Deletes the part and its sidecar. */
  discard(): Promise<void>;
  /** After the part was moved into storage: deletes the sidecar. */
  finish(): Promise<void>;
  /** Ends this call's claim on the part (always, after success or failure). */
  release(): void;
}

/** Parts a call in this process is writing; a second call for the same key must not touch them. */
const claimed = new Set<string>();

/**
 * Names of the keyed parts that may be on disk, per tmp folder: listed once, then kept up
 * to date by this process. Almost every download starts fresh, and looking for a part and
 * its sidecar cost two file system round trips per file (the largest per-file cost after
 * the transfer itself, measured with bench/download-steps.ts).
 */
const partIndexes = new Map<string, Promise<Set<string>>>();

async function listParts(dir: string): Promise<Set<string>> {
  let names: string[];
  try {
    names = await fsp.readdir(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return new Set();
    throw err;
  }
  return new Set(names.filter((name) => name.endsWith(".part") || name.endsWith(".part.json")).map((name) => name.replace(/\.json$/, "")));
}

function partIndex(tmpDir: string): Promise<Set<string>> {
  const dir = path.resolve(tmpDir);
  let index = partIndexes.get(dir);
  if (!index) {
    index = listParts(dir);
    partIndexes.set(dir, index);
    // The caller still gets the rejection; the next call lists the folder again.
    index.then(undefined, () => partIndexes.delete(dir));
  }
  return index;
}

export function resumablePartPath(tmpDir: string, resumeKey: string): string {
  return path.join(tmpDir, `${createHash("sha256").update(resumeKey).digest("hex")}.part`);
}

export function isPartInUse(file: string): boolean {
  return claimed.has(path.resolve(file));
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

async function sizeOf(file: string): Promise<number | null> {
  try {
    return (await fsp.stat(file)).size;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw err;
  }
}

/** The saved sidecar, null when there is none; a broken one is reported and ignored. */
async function readSidecar(file: string, warnings: string[]): Promise<PartOrigin | null> {
  let text: string;
  try {
    text = await fsp.readFile(file, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw err;
  }
  try {
    return sidecarSchema.parse(JSON.parse(text));
  } catch (err) {
    warnings.push(`a saved partial download was discarded: its record ${path.basename(file)} is unreadable (${messageOf(err)})`);
    return null;
  }
}

function oneShotPart(tmpDir: string): PartFile {
  const file = tempPath(tmpDir);
  return {
    path: file,
    keyed: false,
    resumeFrom: null,
    origin: null,
    resumable: false,
    warnings: [],
    recordOrigin: async () => {},
    discard: () => discardTempFile(file),
    finish: async () => {},
    release: () => {},
  };
}

/** The part an earlier call left for this URL, or nulls (leftovers that cannot be resumed are deleted). */
async function findResumable(file: string, sidecar: string, url: string, warnings: string[]) {
  const size = await sizeOf(file);
  const saved = await readSidecar(sidecar, warnings);
  const fits = saved !== null && (saved.totalBytes === null || (size ?? 0) <= saved.totalBytes);
  if (size && saved && saved.url === url && fits) {
    return { resumeFrom: { offset: size, validator: saved.validator, totalBytes: saved.totalBytes } as ResumePoint, origin: saved };
  }
  if (size !== null || saved !== null) await Promise.all([discardTempFile(file), discardTempFile(sidecar)]);
  return { resumeFrom: null, origin: null };
}

async function keyedPart(tmpDir: string, url: string, resumeKey: string): Promise<PartFile> {
  const file = resumablePartPath(tmpDir, resumeKey);
  const sidecar = `${file}.json`;
  const key = path.resolve(file);
  if (claimed.has(key)) throw new Error("this item is already being downloaded (same resume key)");
  claimed.add(key);

  const warnings: string[] = [];
  const name = path.basename(file);
  let index: Set<string>;
  let found: { resumeFrom: ResumePoint | null; origin: PartOrigin | null } = { resumeFrom: null, origin: null };
  try {
    index = await partIndex(tmpDir);
    if (index.has(name)) found = await findResumable(file, sidecar, url, warnings);
  } catch (err) {
    claimed.delete(key);
    throw err;
  }
  // From now on this part may be on disk, until it is discarded or finished.
  index.add(name);
  const { resumeFrom } = found;
  let { origin } = found;

  let resumable = resumeFrom !== null;
  // Most downloads never get a sidecar (no validator); deleting one that is not there costs a syscall per file.
  let sidecarOnDisk = origin !== null;
  const discardSidecar = async () => {
    if (!sidecarOnDisk) return;
    await discardTempFile(sidecar);
    sidecarOnDisk = false;
  };
  return {
    path: file,
    keyed: true,
    resumeFrom,
    warnings,
    get origin() {
      return origin;
    },
    get resumable() {
      return resumable;
    },
    async recordOrigin(next) {
      const { validator } = next;
      if (validator === null) {
        await discardSidecar();
        [origin, resumable] = [null, false];
        return;
      }
      origin = { ...next, validator };
      sidecarOnDisk = true;
      await fsp.writeFile(sidecar, JSON.stringify(origin));
      resumable = true;
    },
    discard: async () => {
      await Promise.all([discardTempFile(file), discardSidecar()]);
      index.delete(name);
    },
    finish: async () => {
      await discardSidecar();
      index.delete(name);
    },
    release: () => claimed.delete(key),
  };
}

/** Opens the part for a download of `url`: resumable when a resume key is given. */
export function openPartFile(tmpDir: string, url: string, resumeKey?: string): Promise<PartFile> {
  return resumeKey === undefined ? Promise.resolve(oneShotPart(tmpDir)) : keyedPart(tmpDir, url, resumeKey);
}

/** Deletes the part a resume key left behind (e.g. when its item is given up on). */
export async function discardResumablePart(tmpDir: string, resumeKey: string): Promise<void> {
  const file = resumablePartPath(tmpDir, resumeKey);
  if (isPartInUse(file)) throw new Error("cannot discard a partial download that is in progress");
  await Promise.all([discardTempFile(file), discardTempFile(`${file}.json`)]);
  (await partIndex(tmpDir)).delete(path.basename(file));
}
