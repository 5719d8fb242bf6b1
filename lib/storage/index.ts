import { config } from "@/lib/config";
import { localStorage, type Storage } from "@/lib/storage/local";

export type { Storage } from "@/lib/storage/local";

let cached: Storage | undefined;

/** The configured storage backend: the local data directory. */
export function storage(): Storage {
  cached ??= localStorage(config().dataDir);
  return cached;
}
