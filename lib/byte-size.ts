/** A byte count for people: "512 B", "2 KB", "4.2 KB", "37 MB" (binary units, one decimal under 10). */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ["KB", "MB", "GB", "TB"];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(value >= 10 ? 0 : 1).replace(/\.0$/, "")} ${units[unit]}`;
}
