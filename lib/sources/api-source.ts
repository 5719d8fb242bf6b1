import type { z } from "zod";
import { formatCursor, parseCursor, type CursorPosition, type PageRef } from "@/lib/sources/cursor";
import { wantsMediaType } from "@/lib/sources/media-kinds";
import { malformedRecord, recordId, type RecordOutcome } from "@/lib/sources/records";
import { RecordGone, sourceClient, type SourceClient } from "@/lib/sources/source-client";
import { requireKey, requireQuery } from "@/lib/sources/source-http";
import type { DroppedRecord, SearchPage, SearchRequest, SourceAdapter, SourceContext, SourceItem } from "@/lib/sources/types";

// The family base of Trawl's paged API adapters, after gallery-dl's BooruExtractor: the base owns
// the whole search call — the query, tag and key checks, the one cursor format (cursor.ts), the
// limit, the media filter, a client bound to the source (source-client.ts), and the per-record
// loop in which one bad record (a schema mismatch, a detail request that answers 404) is dropped
// with its reason while the page goes on. An adapter supplies its catalog entry, how to fetch one
// page, and how one record becomes items.
//
// Paging: a call fetches the cursor's page and handles its records in order, from the cursor's
// skip, until it has `limit` items; the next cursor resumes after the last record handled, so no
// record is read twice or lost, and each drop is reported once. A record that carries several
// files (a gallery) is handed back whole, so a call may return a few more items than its limit.

/** The catalog entry: everything of a SourceAdapter but its search. */
export type SourceEntry = Omit<SourceAdapter, "search">;

/** What the search text must be: free text, space-separated tags, or nothing (the source ignores it). */
export type QueryRule = "text" | "tags" | "none";

export interface PageCall<Page extends PageRef> {
  client: SourceClient;
  request: SearchRequest;
  /** The trimmed query ("" when the rule is "none"). */
  query: string;
  /** The query split on spaces (for "tags"). */
  tags: string[];
  phase: string;
  page: Page;
}

export interface FetchedPage<Page extends PageRef, Shared> {
  /** The page's records, each parsed on its own by the record schema. */
  records: unknown[];
  /** The page after this one, or null when this is the phase's last. An empty page always ends its phase. */
  next: Page | null;
  /** Anything the record mapping needs from the page as a whole (an IIIF base URL, a site origin). */
  shared?: Shared;
}

export interface RecordCall<Shared> {
  client: SourceClient;
  request: SearchRequest;
  phase: string;
  shared: Shared;
}

export type RecordResult = RecordOutcome | SourceItem | readonly (RecordOutcome | SourceItem)[];

export interface ApiSourceSpec<Page extends PageRef, Record, Shared> {
  entry: SourceEntry;
  /** The API base URL, read when a search runs (configuration can replace it); none for sources that fetch the job's own URLs. */
  apiUrl?: string | (() => string);
  query: QueryRule;
  /** The first page: a number (1 or 0) for numbered pages, a string for token paging ("" or the API's own start token). */
  firstPage: Page;
  /** The last page number the API serves; a cursor past it is invalid and paging stops there. */
  maxPage?: number;
  /** The collections walked one after the other for this request (default: one). */
  phases?: (request: SearchRequest) => readonly string[];
  /** Records resolved at once; set it when a record costs a detail request, so only as many are read as the limit needs. */
  recordConcurrency?: number;
  fetchPage(call: PageCall<Widen<Page>>): Promise<FetchedPage<Widen<Page>, Shared>>;
  /** Each record is parsed with this before it is mapped; a mismatch drops only that record. */
  record: z.ZodType<Record>;
  /** A record's id for a drop, when its schema failed (default: its `id`). */
  recordIdOf?(raw: unknown): string | undefined;
  /** One record -> its items, or why it has none (a detail request may throw RecordGone, or use client.json's `gone`). */
  toItems(record: Record, call: RecordCall<Shared>): RecordResult | Promise<RecordResult>;
}

/** A page literal's kind: the first page is written as 1 or "", the others are any number or string. */
type Widen<Page extends PageRef> = Page extends number ? number : string;

const SINGLE_PHASE = ["all"] as const;

/** A drop with its reason, for toItems. */
export function drop(remoteId: string | undefined, reason: string): RecordOutcome {
  return { dropped: { remoteId, reason } };
}

function outcomesOf(result: RecordResult): RecordOutcome[] {
  const list: readonly (RecordOutcome | SourceItem)[] = Array.isArray(result) ? result : [result as RecordOutcome | SourceItem];
  return list.map((each) => ("item" in each || "dropped" in each ? each : { item: each }));
}

function unwantedReason(item: SourceItem) {
  return item.mediaType === "video" ? "a video (the job asks for images only)" : "an image (the job asks for videos only)";
}

function checkedQuery(client: SourceClient, rule: QueryRule, request: SearchRequest) {
  if (rule === "none") return { query: "", tags: [] };
  if (rule === "text") return { query: requireQuery(client.name, request), tags: [] };
  const tags = request.query.trim().split(/\s+/).filter(Boolean);
  if (tags.length === 0) client.refuse("a search query (tags) is required");
  return { query: tags.join(" "), tags };
}

/**
 * The source's own client for one call: its configured base URL, and its key, checked present
 * when the source needs one. A search gets it from the base; an entry's reportDownload makes one.
 */
export function clientFor(entry: Pick<SourceEntry, "name" | "key">, apiUrl: string | (() => string) | undefined, context: SourceContext) {
  const base = (typeof apiUrl === "function" ? apiUrl() : (apiUrl ?? "")).replace(/\/+$/, "");
  return sourceClient(entry, base, context, entry.key ? requireKey(entry.name, context) : undefined);
}

export function defineApiSource<Page extends PageRef, Record, Shared = undefined>(
  spec: ApiSourceSpec<Page, Record, Shared>,
): SourceAdapter {
  const { entry } = spec;

  async function resolveRecord(raw: unknown, call: RecordCall<Shared>): Promise<RecordOutcome[]> {
    const parsed = spec.record.safeParse(raw, { reportInput: true });
    const idOf = spec.recordIdOf ?? recordId;
    if (!parsed.success) return [{ dropped: malformedRecord(raw, parsed.error, idOf(raw)) }];
    try {
      return outcomesOf(await spec.toItems(parsed.data, call));
    } catch (error) {
      if (error instanceof RecordGone) return [{ dropped: { remoteId: idOf(raw), reason: error.reason } }];
      throw error;
    }
  }

  async function search(request: SearchRequest, context: SourceContext): Promise<SearchPage> {
    if (!entry.mediaTypes.some((type) => wantsMediaType(request.mediaTypes, type))) return { items: [], nextCursor: null };
    const client = clientFor(entry, spec.apiUrl, context);
    const { query, tags } = checkedQuery(client, spec.query, request);
    const phases = spec.phases?.(request) ?? SINGLE_PHASE;
    if (phases.length === 0) return { items: [], nextCursor: null };
    const at = parseCursor<Widen<Page>>(entry.name, request.cursor, {
      phases,
      firstPage: spec.firstPage as Widen<Page>,
      maxPage: spec.maxPage,
    });
    if (request.limit < 1) return { items: [], nextCursor: request.cursor };

    const fetched = await spec.fetchPage({ client, request, query, tags, phase: at.phase, page: at.page });
    const call: RecordCall<Shared> = { client, request, phase: at.phase, shared: fetched.shared as Shared };
    const { records } = fetched;

    const items: SourceItem[] = [];
    const dropped: DroppedRecord[] = [];
    let handled = at.skip;
    while (handled < records.length && items.length < request.limit) {
      const size = spec.recordConcurrency ? Math.min(spec.recordConcurrency, request.limit - items.length) : records.length;
      const chunk = records.slice(handled, handled + size);
      const resolved = await Promise.all(chunk.map((raw) => resolveRecord(raw, call)));
      for (const outcomes of resolved) {
        handled++;
        for (const outcome of outcomes) {
          if ("dropped" in outcome) dropped.push(outcome.dropped);
          else if (!wantsMediaType(request.mediaTypes, outcome.item.mediaType)) {
            dropped.push({ remoteId: outcome.item.remoteId, reason: unwantedReason(outcome.item) });
          } else items.push(outcome.item);
        }
        if (items.length >= request.limit) break;
      }
    }

    const next = nextPosition(at, handled, records.length, fetched.next, phases);
    return {
      items,
      nextCursor: next ? formatCursor(next, phases) : null,
      ...(dropped.length > 0 ? { dropped } : {}),
    };
  }

  function nextPosition(
    at: CursorPosition<Widen<Page>>,
    handled: number,
    count: number,
    following: Widen<Page> | null,
    phases: readonly string[],
  ): CursorPosition | null {
    if (handled < count) return { ...at, skip: handled };
    const pageAllowed = following !== null && (typeof following !== "number" || spec.maxPage === undefined || following <= spec.maxPage);
    if (count > 0 && pageAllowed) return { phase: at.phase, page: following, skip: 0 };
    const nextPhase = phases[phases.indexOf(at.phase) + 1];
    return nextPhase === undefined ? null : { phase: nextPhase, page: spec.firstPage, skip: 0 };
  }

  return { ...entry, search };
}
