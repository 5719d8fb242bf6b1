import fs from "node:fs";
import { Readable } from "node:stream";
import { STORED_FILE_POLICY } from "@/lib/auth/security-headers";
import { contentDisposition } from "./responses";
import { parseRange } from "./range";

/**
 * Streams a stored file with Range support (206 / 416), so videos seek and large files
 * resume. The display name goes only into Content-Disposition, encoded safely.
 */
export async function serveFile(
  request: Request,
  file: { path: string; mime: string; name: string; disposition: "inline" | "attachment" },
) {
  const { size } = await fs.promises.stat(file.path);
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
  const stream = Readable.toWeb(fs.createReadStream(file.path, { start, end })) as ReadableStream<Uint8Array>;
  return new Response(stream, { status: range ? 206 : 200, headers });
}
