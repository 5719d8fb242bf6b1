import { z } from "zod";
import { refusedFormat } from "@/lib/sources/media-kinds";
import type { RecordOutcome } from "@/lib/sources/records";
import type { SearchRequest, SourceItem } from "@/lib/sources/types";

// The media the URL-list adapters (web page, feed, sitemap, direct links) find in a document they
// fetched. Their records are built by the adapter itself from the parsed document: each is already
// an item, or a drop with its reason (a target with no media, a player-only video), so the family
// base's per-record loop (api-source.ts) only pages, filters and counts them.

/** A media link found in a document -> its item, or a drop when its format is one Trawl refuses. */
export function storableItem(item: SourceItem, mime?: string): RecordOutcome {
  const refused = refusedFormat(item.mediaUrl, mime);
  return refused ? { dropped: { remoteId: item.remoteId, reason: refused } } : { item };
}

/** A record an adapter built from a document: an item, or a drop with its reason. */
export const foundRecord = z.custom<RecordOutcome>(
  (value) => typeof value === "object" && value !== null && ("item" in value || "dropped" in value),
  "not an item or a drop",
);

/** The item of a found record, unless its format is one Trawl refuses. */
export function checkedRecord(record: RecordOutcome): RecordOutcome {
  return "item" in record ? storableItem(record.item) : record;
}

/** For the adapters that read one of the job's target URLs per page: that URL, and the page after it (null after the last). */
export function targetOfPage(request: SearchRequest, page: number) {
  return { target: request.targetUrls.at(page), next: page + 1 < request.targetUrls.length ? page + 1 : null };
}
