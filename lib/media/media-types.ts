import { fileTypeFromBuffer } from "file-type";

// Which files Trawl keeps, judged by their first bytes (never by the server's Content-Type
// or the URL's extension). SVG is refused on purpose: it can carry scripts.

export type MediaKind = "image" | "video";
export type ExpectedMedia = MediaKind | "any";

export interface SniffedMedia {
  mediaType: MediaKind;
  mime: string;
  ext: string;
}

/** sniffed mime -> what we store it as */
const ACCEPTED: Record<string, SniffedMedia> = {
  "image/jpeg": { mediaType: "image", mime: "image/jpeg", ext: "jpg" },
  "image/png": { mediaType: "image", mime: "image/png", ext: "png" },
  "image/apng": { mediaType: "image", mime: "image/apng", ext: "png" },
  "image/gif": { mediaType: "image", mime: "image/gif", ext: "gif" },
  "image/webp": { mediaType: "image", mime: "image/webp", ext: "webp" },
  "image/avif": { mediaType: "image", mime: "image/avif", ext: "avif" },
  "image/bmp": { mediaType: "image", mime: "image/bmp", ext: "bmp" },
  "image/tiff": { mediaType: "image", mime: "image/tiff", ext: "tif" },
  "video/mp4": { mediaType: "video", mime: "video/mp4", ext: "mp4" },
  "video/x-m4v": { mediaType: "video", mime: "video/x-m4v", ext: "m4v" },
  "video/webm": { mediaType: "video", mime: "video/webm", ext: "webm" },
  "video/quicktime": { mediaType: "video", mime: "video/quicktime", ext: "mov" },
  "video/matroska": { mediaType: "video", mime: "video/matroska", ext: "mkv" },
  "video/ogg": { mediaType: "video", mime: "video/ogg", ext: "ogv" },
};

/** Enough of the start of a file for every accepted format's signature. */
export const SNIFF_BYTES = 64 * 1024;

export type SniffVerdict = { ok: true; media: SniffedMedia } | { ok: false; reason: string };

function describeUnknown(head: Buffer): string {
  const text = head.subarray(0, 4096).toString("utf8");
  if (/<!doctype\s+html|<html[\s>]|<head[\s>]|<body[\s>]/i.test(text)) return "expected media but got an HTML page";
  if (/<svg[\s>]/i.test(text)) return "SVG images are not accepted (they can contain scripts)";
  if (head.length === 0) return "expected media but got an empty file";
  // Text: valid UTF-8 with no control characters other than whitespace.
  if (!text.includes("\uFFFD") && !/[\u0000-\u0008\u000E-\u001F]/.test(text)) return "expected media but got a text document";
  return "expected media but got a file of unknown type";
}

/** Judges the first bytes of a download against what the caller expected. */
export async function sniffMedia(head: Buffer, expected: ExpectedMedia): Promise<SniffVerdict> {
  const detected = head.length > 0 ? await fileTypeFromBuffer(head) : undefined;
  if (!detected || detected.mime === "application/xml") return { ok: false, reason: describeUnknown(head) };
  const media = ACCEPTED[detected.mime];
  if (!media) {
    const family = detected.mime.split("/")[0];
    const reason =
      family === "image" || family === "video"
        ? `${detected.mime} files are not supported`
        : `expected media but got ${detected.mime} (.${detected.ext})`;
    return { ok: false, reason };
  }
  if (expected !== "any" && media.mediaType !== expected) {
    return {
      ok: false,
      reason: `expected ${expected === "image" ? "an image" : "a video"} but got ${media.mediaType === "image" ? "an image" : "a video"} (${media.mime})`,
    };
  }
  return { ok: true, media };
}
