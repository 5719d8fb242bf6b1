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
