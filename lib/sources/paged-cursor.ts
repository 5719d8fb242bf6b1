import { SourceError } from "@/lib/sources/types";

// Cursors for page-numbered APIs that search several collections one after the other
// (e.g. Pexels photos, then videos): "<phase>:<page>" starts a page, "<phase>:<page>:<skip>"
// resumes inside one when the previous call's limit cut it short, so no result is lost.

export interface PagedPosition<P extends string> {
  phase: P;
  page: number;
  skip: number;
}

const CURSOR = /^([a-z]+):(\d{1,9})(?::(\d{1,9}))?$/;

export function parsePagedCursor<P extends string>(
  sourceName: string,
  cursor: string | null,
  phases: readonly P[],
  firstPage: number,
): PagedPosition<P> {
  if (cursor === null) return { phase: phases[0], page: firstPage, skip: 0 };
  const match = CURSOR.exec(cursor);
  const phase = match?.[1] as P | undefined;
  if (!match || phase === undefined || !phases.includes(phase) || Number(match[2]) < firstPage) {
    throw new SourceError(`${sourceName}: invalid cursor "${cursor}"`, undefined, false);
  }
  return { phase, page: Number(match[2]), skip: match[3] === undefined ? 0 : Number(match[3]) };
}

export function formatPagedCursor<P extends string>({ phase, page, skip }: PagedPosition<P>) {
  return skip === 0 ? `${phase}:${page}` : `${phase}:${page}:${skip}`;
}

/**
 * Where the next call starts after returning results [skip, skip + limit) of a page of
 * `count`: later in the same page, the next page when the API has one, else the next phase's
 * first page, else null (finished). Callers say there is no next page after an empty one, so
 * an API that keeps answering empty pages cannot loop a job forever.
 */
export function nextPagedCursor<P extends string>(
  position: PagedPosition<P>,
  options: { limit: number; count: number; hasNextPage: boolean; phases: readonly P[]; firstPage: number },
): string | null {
  const end = position.skip + Math.max(0, options.limit);
  if (end < options.count) return formatPagedCursor({ ...position, skip: end });
  if (options.hasNextPage) return formatPagedCursor({ phase: position.phase, page: position.page + 1, skip: 0 });
  const nextPhase = options.phases[options.phases.indexOf(position.phase) + 1];
  return nextPhase === undefined ? null : formatPagedCursor({ phase: nextPhase, page: options.firstPage, skip: 0 });
}
