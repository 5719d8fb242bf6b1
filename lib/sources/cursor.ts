import { SourceError } from "@/lib/sources/types";

// The one cursor every API adapter hands back: "[<phase>:]<page>[:<skip>]".
//   phase  which collection an adapter walks (Pexels "photos" then "videos"); written only when it walks several
//   page   a page number ("3"), or "~" and the API's own next-page token, URI-encoded ("~t3_abc", "~AoE%3D")
//   skip   how many records of that page earlier calls already handled (absent when none)

export type PageRef = number | string;

export interface CursorPosition<Page extends PageRef = PageRef> {
  phase: string;
  page: Page;
  skip: number;
}

const CURSOR = /^(?:([a-z]+):)?(\d{1,9}|~[^:]*)(?::(\d{1,9}))?$/;

function invalid(sourceName: string, cursor: string): never {
  throw new SourceError(`${sourceName}: invalid cursor "${cursor}"`, undefined, false);
}

/**
 * Reads a cursor for a source whose pages are numbers (firstPage a number) or tokens (firstPage
 * a string); a cursor of the other kind, a phase not in `phases`, or a page outside
 * [firstPage, maxPage] is refused as invalid.
 */
export function parseCursor<Page extends PageRef>(
  sourceName: string,
  cursor: string | null,
  options: { phases: readonly string[]; firstPage: Page; maxPage?: number },
): CursorPosition<Page> {
  const { phases, firstPage, maxPage } = options;
  if (cursor === null) return { phase: phases[0], page: firstPage, skip: 0 };
  const match = CURSOR.exec(cursor);
  if (!match) return invalid(sourceName, cursor);
  const phase = match[1] ?? phases[0];
  if (!phases.includes(phase)) invalid(sourceName, cursor);
  const skip = match[3] === undefined ? 0 : Number(match[3]);
  const raw = match[2];
  if (typeof firstPage === "number") {
    if (raw.startsWith("~")) return invalid(sourceName, cursor);
    const page = Number(raw);
    if (page < firstPage || (maxPage !== undefined && page > maxPage)) invalid(sourceName, cursor);
    return { phase, page: page as Page, skip };
  }
  if (!raw.startsWith("~")) return invalid(sourceName, cursor);
  let token: string;
  try {
    token = decodeURIComponent(raw.slice(1));
  } catch {
    return invalid(sourceName, cursor);
  }
  return { phase, page: token as Page, skip };
}

export function formatCursor({ phase, page, skip }: CursorPosition, phases: readonly string[]) {
  const prefix = phases.length > 1 ? `${phase}:` : "";
  const pageText = typeof page === "number" ? String(page) : `~${encodeURIComponent(page)}`;
  return `${prefix}${pageText}${skip === 0 ? "" : `:${skip}`}`;
}
