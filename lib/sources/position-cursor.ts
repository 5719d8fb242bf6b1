import { SourceError } from "@/lib/sources/types";

// A cursor for sources that walk a list of pages: "<index>" starts at a page, "<index>:<skip>"
// resumes inside one when the previous call's limit cut it short, so no item is lost.

export interface Position {
  index: number;
  skip: number;
}

const CURSOR = /^(\d{1,9})(?::(\d{1,9}))?$/;

export function parsePositionCursor(sourceName: string, cursor: string | null, first: number): Position {
  if (cursor === null) return { index: first, skip: 0 };
  const match = CURSOR.exec(cursor);
  if (!match) throw new SourceError(`${sourceName}: invalid cursor "${cursor}"`, undefined, false);
  return { index: Number(match[1]), skip: match[2] === undefined ? 0 : Number(match[2]) };
}

export function formatPositionCursor({ index, skip }: Position) {
  return skip === 0 ? String(index) : `${index}:${skip}`;
}

/** The first position of the page after `page`, when there is one. */
export function nextPage(page: number, hasMore: boolean): Position | null {
  return hasMore ? { index: page + 1, skip: 0 } : null;
}

/**
 * The part of a fetched page one call returns, and where the next call starts: inside this
 * page when the limit cut it short ("<index>:<skip>"), else `next` (null at the end).
 */
export function slicePage<T>(all: T[], at: Position, limit: number, next: Position | null) {
  const end = at.skip + Math.max(0, limit);
  const nextPosition = end < all.length ? { index: at.index, skip: end } : next;
  return { items: all.slice(at.skip, end), nextCursor: nextPosition ? formatPositionCursor(nextPosition) : null };
}
