import { formatDuration } from "./format";

/**
 * The stand-in for a missing thumbnail: a video shows its first frame (the browser reads
 * only the metadata and first frame) and its length once known, anything else a type label.
 */
export function MediaPreview({
  mediaType,
  fileUrl,
  label,
  durationMs,
}: {
  mediaType: string;
  fileUrl: string;
  label: string;
  durationMs?: number | null;
}) {
  if (mediaType === "video") {
    return (
      <span className="relative block h-full w-full">
        <video src={`${fileUrl}#t=0.1`} preload="metadata" muted playsInline className="h-full w-full object-cover" aria-label={label} />
        <span className="absolute bottom-1 left-1 rounded bg-black/60 px-1 text-[10px] font-semibold text-white">
          ▶ {durationMs != null ? formatDuration(durationMs) : "video"}
        </span>
      </span>
    );
  }
  return <span className="flex h-full w-full items-center justify-center text-xs font-semibold text-slate-600">{label}</span>;
}
