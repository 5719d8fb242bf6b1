import { HttpError, type HttpClient } from "@/lib/download/http";
import { formatPositionCursor, type Position } from "@/lib/sources/position-cursor";
import { toSourceError } from "@/lib/sources/source-http";
import { SourceError, type SearchPage, type SearchRequest, type SourceContext, type SourceItem } from "@/lib/sources/types";

// Small pieces shared by the museum, archive and science adapters: the configured base URL,
// the query and key checks, fetching with extra headers, and slicing a page of results so a
// call never returns more than its limit and the next call resumes where it stopped.

/** The configured API base URL without a trailing slash. */
export function resolveBase(apiUrl: string | (() => string)) {
  return (typeof apiUrl === "function" ? apiUrl() : apiUrl).replace(/\/+$/, "");
}

export function requireQuery(sourceName: string, request: SearchRequest) {
  const query = request.query.trim();
  if (!query) throw new SourceError(`${sourceName}: a search query is required`, undefined, false);
  return query;
}

export function requireKey(sourceName: string, context: SourceContext) {
  if (!context.key) throw new SourceError(`${sourceName}: no API key configured`, undefined, false);
  return context.key;
}

/** GET JSON with optional extra headers; transport failures become SourceErrors naming the source. */
export async function getJson(sourceName: string, http: HttpClient, url: string, headers?: Record<string, string>): Promise<unknown> {
  try {
    return await http.getJson(url, headers ? { headers } : undefined);
  } catch (error) {
    throw toSourceError(sourceName, error);
  }
}

/** Like getJson, for key-gated APIs: a 401 or 403 says the key was refused, not that the API failed. */
export async function getJsonWithKey(sourceName: string, http: HttpClient, url: string, headers?: Record<string, string>) {
  try {
    return await http.getJson(url, headers ? { headers } : undefined);
  } catch (error) {
    if (error instanceof HttpError && (error.status === 401 || error.status === 403)) {
      throw new SourceError(`${sourceName}: API key rejected (${error.status})`, error.status, false);
    }
    throw toSourceError(sourceName, error);
  }
}

/**
 * Returns at most `limit` of a page's items, starting at `at.skip`. When the limit cuts the page
 * the cursor points back into it ("<index>:<skip>"); otherwise it is `next` (null at the end).
 */
export function slicePage(items: SourceItem[], at: Position, limit: number, next: Position | null): SearchPage {
  const end = at.skip + Math.max(0, limit);
  const nextPosition = end < items.length ? { index: at.index, skip: end } : next;
  return { items: items.slice(at.skip, end), nextCursor: nextPosition ? formatPositionCursor(nextPosition) : null };
}

const CC_LICENSE = /creativecommons\.org\/licenses\/([a-z-]+)\/(\d(?:\.\d)?)/i;
const CC_PUBLIC_DOMAIN = /creativecommons\.org\/publicdomain\/(zero|mark)\/(\d\.\d)/i;
const RIGHTS_STATEMENT = /rightsstatements\.org\/(?:vocab|page)\/([A-Za-z-]+)\/(\d\.\d)/;

const RIGHTS_STATEMENTS: Record<string, string> = {
  InC: "In Copyright",
  "InC-OW-EU": "In Copyright - EU Orphan Work",
  "InC-EDU": "In Copyright - Educational Use Permitted",
  "InC-NC": "In Copyright - Non-Commercial Use Permitted",
  "InC-RUU": "In Copyright - Rights-holder(s) Unlocatable or Unidentifiable",
  "NoC-CR": "No Copyright - Contractual Restrictions",
  "NoC-NC": "No Copyright - Non-Commercial Use Only",
  "NoC-OKLR": "No Copyright - Other Known Legal Restrictions",
  "NoC-US": "No Copyright - United States",
  CNE: "Copyright Not Evaluated",
  UND: "Copyright Undetermined",
  NKC: "No Known Copyright",
};

/** "http://creativecommons.org/licenses/by-sa/4.0/" -> "CC BY-SA 4.0"; unknown URLs give undefined. */
export function licenseNameFromUrl(url: string): string | undefined {
  const cc = CC_LICENSE.exec(url);
  if (cc) return `CC ${cc[1].toUpperCase()} ${cc[2]}`;
  const pd = CC_PUBLIC_DOMAIN.exec(url);
  if (pd) return pd[1].toLowerCase() === "zero" ? `CC0 ${pd[2]}` : `Public Domain Mark ${pd[2]}`;
  const rs = RIGHTS_STATEMENT.exec(url);
  if (rs) return RIGHTS_STATEMENTS[rs[1]];
  return undefined;
}

/** "cc-by-nc" -> "CC BY-NC", "cc0" -> "CC0", "pdm" -> "Public Domain Mark"; other codes upper-cased. */
export function licenseNameFromCode(code: string): string {
  const lower = code.trim().toLowerCase();
  if (lower === "cc0" || lower === "cc-0") return "CC0";
  if (lower === "pdm" || lower === "pd") return "Public Domain Mark";
  const cc = /^cc-(.+)$/.exec(lower);
  return cc ? `CC ${cc[1].toUpperCase()}` : code.toUpperCase();
}

/** Cursor position helper for sources whose pages are numbered from 1. */
export function nextPage(page: number, hasMore: boolean): Position | null {
  return hasMore ? { index: page + 1, skip: 0 } : null;
}
