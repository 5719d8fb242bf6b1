import { NextResponse } from "next/server";

// Answers for polled JSON: the ETag is the rows' version, so a client that already has it gets
// 304 before the body is built. Cache-Control makes every browser and proxy ask again each time.

const CACHE_CONTROL = "private, no-cache";

/** The headers of a versioned answer, 200 or 304. */
export function versionHeaders(version: string) {
  return { ETag: `W/"${version}"`, "Cache-Control": CACHE_CONTROL };
}

/** Whether an If-None-Match header names this ETag (weak comparison, as RFC 9110 asks for GET). */
export function matches(ifNoneMatch: string | null, etag: string) {
  if (!ifNoneMatch) return false;
  return ifNoneMatch.split(",").some((tag) => {
    const candidate = tag.trim();
    return candidate === "*" || candidate === etag || candidate.replace(/^W\//, "") === etag.replace(/^W\//, "");
  });
}

/** 304 when the request already holds `version`, else the JSON `build` makes, tagged with it (a Response from build is sent as it is). */
export async function versionedJson(request: Request, version: string, build: () => Promise<unknown>) {
  const headers = versionHeaders(version);
  if (matches(request.headers.get("if-none-match"), headers.ETag)) return new NextResponse(null, { status: 304, headers });
  const body = await build();
  return body instanceof Response ? body : NextResponse.json(body, { headers });
}
