import { config } from "@/lib/config";
import { localStorage } from "@/lib/storage/local";
import { s3Storage } from "@/lib/storage/s3";
import type { Storage } from "@/lib/storage/types";

export type { Storage } from "@/lib/storage/types";

let cached: Storage | undefined;

/** The configured store: the local data directory, or an S3-compatible bucket (TRAWL_STORAGE_URL). */
export function storage(): Storage {
  const cfg = config();
  cached ??= cfg.storage.kind === "s3" ? s3Storage(cfg.storage) : localStorage(cfg.dataDir);
  return cached;
}
