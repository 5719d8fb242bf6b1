// A file's display name, from Content-Disposition or the URL, made safe to show and to
// offer as a download name: no control or format characters, no path parts, bounded length,
// and nothing Windows refuses (device names, trailing dots or spaces).

const MAX_NAME_CHARS = 120;
const FALLBACK_NAME = "file";
/** Windows device names: reserved whatever the extension ("nul.tar.gz" too), in any case. */
const WINDOWS_DEVICE_NAME = /^(con|prn|aux|nul|conin\$|conout\$|com[0-9¹²³]|lpt[0-9¹²³])$/i;

/** Prefixes a base whose part before the first dot is a Windows device name. */
function avoidDeviceName(base: string): string {
  const stem = base.split(".")[0].trimEnd();
  return WINDOWS_DEVICE_NAME.test(stem) ? `_${base}` : base;
}

/** Percent-decodes to bytes, then reads them in the charset; bad sequences become U+FFFD. */
function decodePercent(text: string, charset = "utf-8"): string {
  const bytes: number[] = [];
  const chars = Array.from(text);
  for (let i = 0; i < chars.length; i++) {
    const hex = chars.slice(i + 1, i + 3).join("");
    if (chars[i] === "%" && /^[0-9a-f]{2}$/i.test(hex)) {
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(chars[i], "utf8"));
    }
  }
  return new TextDecoder(charset).decode(Uint8Array.from(bytes));
}

/** The filename from a Content-Disposition header (RFC 6266: filename* wins over filename). */
export function fileNameFromContentDisposition(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const extended = /filename\*\s*=\s*([\w!#$%&+^`{}~.-]+)'[^']*'([^;\s]+)/i.exec(header);
  if (extended) {
    const charset = extended[1].toLowerCase();
    if (charset === "utf-8" || charset === "iso-8859-1") return decodePercent(extended[2], charset);
  }
  const quoted = /(?:^|;)\s*filename\s*=\s*"((?:[^"\\]|\\.)*)"/i.exec(header);
  if (quoted) return quoted[1].replace(/\\(.)/g, "$1");
  const token = /(?:^|;)\s*filename\s*=\s*([^;\s]+)/i.exec(header);
  return token?.[1];
}

export function fileNameFromUrl(url: string): string | undefined {
  const segments = new URL(url).pathname.split("/").filter(Boolean);
  const last = segments.at(-1);
  return last ? decodePercent(last) : undefined;
}

/** Sanitized `<base>.<ext>`; the extension always comes from the sniffed type. */
export function safeFileName(candidate: string | undefined, ext: string): string {
  let base = (candidate ?? "")
    .normalize("NFC")
    .replace(/[\p{Cc}\p{Cf}]/gu, "")
    .split(/[/\\]+/)
    .filter((part) => part !== "" && part !== "." && part !== "..")
    .join("_")
    .replace(/[<>:"|?*]/g, "_")
    .replace(/\.{2,}/g, ".")
    .replace(/\s+/g, " ")
    .trim();
  const trimDotsAndSpaces = (text: string) => text.replace(/^[.\s]+|[.\s]+$/g, "");
  base = avoidDeviceName(trimDotsAndSpaces(base.replace(/\.[A-Za-z0-9]{1,5}$/, "")));
  const room = MAX_NAME_CHARS - ext.length - 1;
  // Cutting to length can leave a dot or space at the end again.
  base = trimDotsAndSpaces(Array.from(base).slice(0, room).join(""));
  return `${base || FALLBACK_NAME}.${ext}`;
}
