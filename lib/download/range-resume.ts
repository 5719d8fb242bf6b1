// HTTP range requests for resuming a download (RFC 9110 §14): the headers to send, and
// what the server's answer means for the bytes already on disk.

export interface ResumePoint {
  /** Bytes already on disk: the request asks for the rest. */
  offset: number;
  /** The strong ETag or Last-Modified of the first response, for If-Range. */
  validator: string;
  /** The file's full length as first announced, when it was. */
  totalBytes: number | null;
}

export type ContentRange = { kind: "range"; start: number; end: number; total: number | null } | { kind: "unsatisfied"; total: number };

export type ResumePlan =
  /** Append the body at `offset`; the whole file is `total` bytes when known. */
  | { kind: "append"; total: number | null }
  /** A full body (the server ignored or refused the range): start over. */
  | { kind: "restart"; total: number | null }
  /** Nothing is left to fetch: the part on disk is the whole file. */
  | { kind: "complete" }
  /** An answer the part cannot be continued from; `reason` says why. */
  | { kind: "unusable"; reason: string };

export function rangeHeaders(point: ResumePoint): Record<string, string> {
  return { range: `bytes=${point.offset}-`, "if-range": point.validator };
}

/** The validator If-Range may carry: a strong ETag, else Last-Modified (weak ETags are not allowed there). */
export function ifRangeValidator(headers: Record<string, string>): string | null {
  const etag = headers.etag?.trim();
  if (etag && /^"[^"]*"$/.test(etag)) return etag;
  const lastModified = headers["last-modified"]?.trim();
  return lastModified && !Number.isNaN(Date.parse(lastModified)) ? lastModified : null;
}

export function parseContentRange(value: string | undefined): ContentRange | null {
  if (!value) return null;
  const unsatisfied = /^bytes\s+\*\/(\d+)$/i.exec(value.trim());
  if (unsatisfied) return { kind: "unsatisfied", total: Number(unsatisfied[1]) };
  const range = /^bytes\s+(\d+)-(\d+)\/(\d+|\*)$/i.exec(value.trim());
  if (!range) return null;
  const [start, end] = [Number(range[1]), Number(range[2])];
  const total = range[3] === "*" ? null : Number(range[3]);
  if (end < start || (total !== null && end >= total)) return null;
  return { kind: "range", start, end, total };
}

/** Reads a response to a request for the bytes from `point.offset` on (or to a plain request when point is null). */
export function planResponse(
  point: ResumePoint | null,
  status: number,
  headers: Record<string, string>,
  contentLength?: number,
): ResumePlan {
  const offset = point?.offset ?? 0;
  const announced = point?.totalBytes ?? null;
  if (status === 206) {
    const range = parseContentRange(headers["content-range"]);
    if (range?.kind !== "range")
      return {
        kind: "unusable",
        reason: `the server answered 206 with an unreadable Content-Range ${JSON.stringify(headers["content-range"] ?? null)}`,
      };
    if (range.start !== offset)
      return { kind: "unusable", reason: `asked for bytes from ${offset}, the server sent bytes ${range.start}-${range.end}` };
    if (announced !== null && range.total !== null && range.total !== announced) {
      return { kind: "unusable", reason: `the file was ${announced} bytes, the server now says ${range.total}` };
    }
    const total = range.total ?? announced;
    return point ? { kind: "append", total } : { kind: "restart", total };
  }
  if (status === 416 && point) {
    const range = parseContentRange(headers["content-range"]);
    if (range?.kind === "unsatisfied" && range.total === offset) return { kind: "complete" };
    const size = range?.kind === "unsatisfied" ? `${range.total} bytes` : "of unknown size";
    return { kind: "unusable", reason: `the server refused the range: the file is ${size}, ${offset} bytes are on disk` };
  }
  return { kind: "restart", total: contentLength ?? null };
}
