import type { DroppedRecord } from "@/lib/sources/types";

const IDS_SHOWN = 5;

/**
 * The job log's lines for the records a search page left out: one per reason, with how many
 * and the first few ids, so a source that loses records says so in its own words.
 */
export function droppedRecordLines(sourceName: string, dropped: DroppedRecord[]): string[] {
  const byReason = new Map<string, string[]>();
  for (const record of dropped) {
    const ids = byReason.get(record.reason) ?? [];
    if (record.remoteId) ids.push(record.remoteId);
    byReason.set(record.reason, ids);
  }
  return [...byReason].map(([reason, ids]) => {
    const count = dropped.filter((d) => d.reason === reason).length;
    const shown = ids.length ? `: ${ids.slice(0, IDS_SHOWN).join(", ")}${ids.length > IDS_SHOWN ? ", …" : ""}` : "";
    return `${sourceName}: left out ${count} record(s), ${reason}${shown}`;
  });
}
