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

/**
 * The part of a fetched page one call returns, and where the next call starts: inside this
 * page when the limit cut it short, else at the next page when there is one.
 */
export function slicePage<T>(all: T[], at: Position, limit: number, hasNextPage: boolean) {
  const end = at.skip + Math.max(0, limit);
  const nextCursor =
    end < all.length
      ? formatPositionCursor({ index: at.index, skip: end })
      : hasNextPage
        ? formatPositionCursor({ index: at.index + 1, skip: 0 })
        : null;
  return { items: all.slice(at.skip, end), nextCursor };
}
