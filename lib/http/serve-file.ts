import { Readable } from "node:stream";
import { log } from "@/lib/log";
import type { Storage } from "@/lib/storage/types";
import { STORED_FILE_POLICY } from "@/lib/auth/security-headers";
import { contentDisposition, jsonError } from "./responses";
import { parseRange } from "./range";

/**
 * Streams a stored file with Range support (206 / 416), so videos seek and large files
 * resume. The display name goes only into Content-Disposition, encoded safely. The bytes
 * pass through Trawl whatever the store (a Range becomes a ranged read of the object), so
 * the sign-in, these headers and the store's address stay Trawl's: a redirect to a presigned
 * URL would need the store reachable from every browser and would serve it without them.
 */
export async function serveFile(
  request: Request,
  file: { store: Storage; key: string; mime: string; name: string; disposition: "inline" | "attachment" },
) {
  const info = await file.store.stat(file.key);
  if (!info) {
    // The row says the file exists: a store that lost it is worth an administrator's look.
    log.error("a recorded file is missing from storage", { key: file.key, store: file.store.describe() });
    return jsonError(404, "The file is missing from storage");
  }
  const size = info.bytes;
  const range = parseRange(request.headers.get("range"), size);
  const headers = new Headers({
    "Content-Type": file.mime,
    "Accept-Ranges": "bytes",
    "Content-Disposition": contentDisposition(file.disposition, file.name),
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": STORED_FILE_POLICY,
    "Cache-Control": "private, max-age=31536000, immutable",
  });
  if (range === "unsatisfiable") {
    headers.set("Content-Range", `bytes */${size}`);
    return new Response(null, { status: 416, headers });
  }
  const { start, end } = range ?? { start: 0, end: size - 1 };
  headers.set("Content-Length", String(size === 0 ? 0 : end - start + 1));
  if (range) headers.set("Content-Range", `bytes ${start}-${end}/${size}`);
  if (request.method === "HEAD" || size === 0) return new Response(null, { status: range ? 206 : 200, headers });
  const stream = Readable.toWeb(await file.store.read(file.key, { start, end })) as ReadableStream<Uint8Array>;
  return new Response(stream, { status: range ? 206 : 200, headers });
}
