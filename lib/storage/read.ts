import { buffer } from "node:stream/consumers";
import type { Storage } from "./types";

// Reading stored objects whole or by ranges, for the tools that look inside files (sharp,
// MediaInfoLib) whatever the backend.

/** The whole object in memory: for images, which the image tools decode whole anyway. */
export async function readStored(store: Storage, key: string): Promise<Buffer> {
  return buffer(await store.read(key));
}

/** The object's size and a reader of byte ranges of it. */
export async function storedChunks(store: Storage, key: string) {
  const info = await store.stat(key);
  if (!info) throw new Error(`no stored file under ${key}`);
  return {
    size: info.bytes,
    async readChunk(offset: number, length: number): Promise<Uint8Array> {
      if (length <= 0 || offset >= info.bytes) return new Uint8Array(0);
      return buffer(await store.read(key, { start: offset, end: Math.min(info.bytes, offset + length) - 1 }));
    },
  };
}
