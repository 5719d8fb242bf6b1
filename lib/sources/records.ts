import type { z } from "zod";
import type { DroppedRecord, SourceItem } from "./types";

// One API record at a time: adapters parse each record of a page on its own, so one bad
// record is dropped with its reason instead of failing the page.

/** What one record became: an item, or a dropped record with its reason. */
export type RecordOutcome = { item: SourceItem } | { dropped: DroppedRecord };

/** Why a record failed its schema, in parseResponse's words: "missing id", or "<path>: <message>". */
function malformedReason(error: z.ZodError) {
  const issue = error.issues[0];
  const where = issue.path.map(String).join(".") || "record";
  return issue.code === "invalid_type" && issue.input === undefined ? `missing ${where}` : `${where}: ${issue.message}`;
}

/** A record's id as text (numbers and strings), for naming a dropped record whose schema failed. */
export function recordId(raw: unknown) {
  const id = typeof raw === "object" && raw !== null ? (raw as { id?: unknown }).id : undefined;
  return typeof id === "number" || typeof id === "string" ? String(id) : undefined;
}

/** The dropped record for one that failed its schema, named by its id when it has one. */
export function malformedRecord(raw: unknown, error: z.ZodError, remoteId = recordId(raw), kind = "record"): DroppedRecord {
  return { remoteId, reason: `a malformed ${kind} (${malformedReason(error)})` };
}

/** A record tagged with the kind of collection it came from (kept as is when it is not an object: its schema fails). */
export function tagged(raw: unknown, kind: string) {
  return typeof raw === "object" && raw !== null ? { ...raw, kind } : raw;
}

/** "photo-1423600" / "video-1526909": a tagged record's remoteId, also for one whose schema failed (APIs with two kinds of record, e.g. Pexels and Pixabay). */
export function kindPrefixedId(raw: unknown) {
  const id = recordId(raw);
  const kind = typeof raw === "object" && raw !== null ? (raw as { kind?: unknown }).kind : undefined;
  return id === undefined ? undefined : `${String(kind)}-${id}`;
}
