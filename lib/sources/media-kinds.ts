import type { MediaFilter, MediaType } from "@/lib/sources/types";

// File extensions and MIME types Trawl recognises as downloadable media.

const IMAGE_EXTENSIONS = new Set(["jpg", "jpeg", "png", "gif", "webp", "avif", "bmp", "tif", "tiff"]);
const VIDEO_EXTENSIONS = new Set(["mp4", "webm", "mov", "mkv", "ogv", "m4v"]);

function extensionOf(url: string) {
  const pathname = new URL(url).pathname;
  const match = /\.([a-z0-9]+)$/i.exec(pathname);
  return match?.[1].toLowerCase();
}

/** The media type an absolute URL's file extension announces, if it is a known one. */
export function mediaTypeFromExtension(url: string): MediaType | undefined {
  const ext = extensionOf(url);
  if (ext === undefined) return undefined;
  if (IMAGE_EXTENSIONS.has(ext)) return "image";
  if (VIDEO_EXTENSIONS.has(ext)) return "video";
  return undefined;
}

export function mediaTypeFromMime(mime: string): MediaType | undefined {
  const essence = mime.split(";")[0].trim().toLowerCase();
  if (essence.startsWith("image/")) return "image";
  if (essence.startsWith("video/")) return "video";
  // Ogg Theora files are commonly labelled with the container type, not video/ogg.
  if (essence === "application/ogg") return "video";
  return undefined;
}

export function wantsMediaType(filter: MediaFilter, type: MediaType) {
  return filter === "both" || (filter === "images" ? type === "image" : type === "video");
}
