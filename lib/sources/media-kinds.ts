import type { MediaFilter, MediaType } from "@/lib/sources/types";

// File extensions and MIME types Trawl recognises as downloadable media.

const IMAGE_EXTENSIONS = new Set(["jpg", "jpeg", "png", "gif", "webp", "avif", "bmp", "tif", "tiff"]);
const VIDEO_EXTENSIONS = new Set(["mp4", "webm", "mov", "mkv", "ogv", "m4v"]);

/** The lower-case file extension of an absolute URL's path, if it has one (undefined for a URL that does not parse). */
export function extensionOf(url: string) {
  if (!URL.canParse(url)) return undefined;
  return /\.([a-z0-9]+)$/i.exec(new URL(url).pathname)?.[1].toLowerCase();
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

// Formats Trawl refuses to store (lib/media/media-types.ts keeps only the formats it sniffs as
// accepted), known from a link before anything is downloaded: adapters drop such records at
// search time with this reason instead of downloading a file only to refuse it. Only what the
// link declares is judged; a link that says nothing is left to the download's sniffing.

const REFUSED_EXTENSIONS = new Set(["heic", "heif", "pdf", "djvu", "djv", "swf", "flv", "ico", "zip", "mp3", "wav", "ogg", "m4a"]);
const REFUSED_MIME = new Set([
  "image/heic",
  "image/heif",
  "image/heic-sequence",
  "image/heif-sequence",
  "image/x-icon",
  "image/vnd.microsoft.icon",
  "image/vnd.djvu",
  "application/pdf",
  "application/x-shockwave-flash",
  "application/zip",
  "video/x-flv",
]);

/** Why Trawl cannot store the file a link points at (by its declared MIME type, else its extension), or undefined. */
export function refusedFormat(url: string, mime?: string): string | undefined {
  const essence = mime?.split(";")[0].trim().toLowerCase() || undefined;
  const extension = extensionOf(url);
  if (essence === "image/svg+xml" || (!essence && (extension === "svg" || extension === "svgz"))) {
    return "an SVG drawing, which Trawl does not store";
  }
  if (essence && REFUSED_MIME.has(essence)) return `a file of type ${essence}, which Trawl cannot store`;
  if (!essence && extension && REFUSED_EXTENSIONS.has(extension)) return `a .${extension} file, which Trawl cannot store`;
  return undefined;
}
