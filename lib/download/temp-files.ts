import fsp from "node:fs/promises";
import path from "node:path";
import { randomUUID } from "node:crypto";

/** A fresh, unguessable path in tmpDir; `.part` marks an unfinished download. */
export function tempPath(tmpDir: string, suffix = ".part"): string {
  return path.join(tmpDir, `${randomUUID()}${suffix}`);
}

/**
 * Deletes a temporary file after a failure. The failure itself is what the caller throws;
 * a temp file that cannot be deleted is logged loudly so it never goes unnoticed.
 */
export async function discardTempFile(file: string): Promise<void> {
  try {
    await fsp.unlink(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return;
    console.error(`[trawl] could not delete temporary file ${file}: ${err instanceof Error ? err.message : String(err)}`);
  }
}
