export { formatBytes } from "@/lib/byte-size";

/** A video's length: 0:07, 3:25, 1:02:09. */
export function formatDuration(ms: number) {
  const total = Math.round(ms / 1000);
  const [hours, minutes, seconds] = [Math.floor(total / 3600), Math.floor((total % 3600) / 60), total % 60];
  const pad = (n: number) => String(n).padStart(2, "0");
  return hours > 0 ? `${hours}:${pad(minutes)}:${pad(seconds)}` : `${minutes}:${pad(seconds)}`;
}

export function formatTime(iso: string | null) {
  return iso ? new Date(iso).toLocaleString() : "—";
}

export const statusLabel = (status: string) => status.replaceAll("_", " ");
