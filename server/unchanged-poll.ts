// The pages' revalidating polls answered before Next.js: a GET of /api/jobs or /api/jobs/:id
// that carries If-None-Match is checked here — the same request policy as proxy.ts, the same
// sign-in as the routes (lib/auth), the same row version (lib/jobs/poll-version.ts) — and, when
// nothing changed, answered 304 by the web server itself. Anything else (no ETag, a changed
// version, a refused or anonymous request, another path) is left to Next, which answers it in
// full. A 304 costs about a quarter of what it costs through Next's route machinery.
import type { IncomingHttpHeaders } from "node:http";
import { configuredPolicy, refusal } from "@/lib/auth/request-policy";
import { CLIENT_IP_HEADER } from "@/lib/auth/client-ip";
import { identify } from "@/lib/auth/request-user";
import { COMMON_SECURITY_HEADERS } from "@/lib/auth/security-headers";
import { db } from "@/lib/db";
import { matches, versionHeaders } from "@/lib/http/conditional";
import { jobDetailVersion, jobListVersion } from "@/lib/jobs/poll-version";
import { jobListQuery } from "@/lib/jobs/queries";

/** A job page poll; job ids are cuids, so nothing in the path needs decoding. */
const JOB_PATH = /^\/api\/jobs\/([A-Za-z0-9_-]+)$/;

function toHeaders(raw: IncomingHttpHeaders) {
  const headers = new Headers();
  for (const [name, value] of Object.entries(raw)) {
    if (Array.isArray(value)) for (const each of value) headers.append(name, each);
    else if (value !== undefined) headers.set(name, value);
  }
  return headers;
}

/** The headers of a 304 for this request, or null when Next must answer it. */
export async function unchangedPoll(method: string | undefined, url: string | undefined, raw: IncomingHttpHeaders) {
  const ifNoneMatch = raw["if-none-match"];
  if (method !== "GET" || !url || typeof ifNoneMatch !== "string") return null;
  const { pathname, searchParams } = new URL(url, "http://trawl.invalid");
  const jobId = JOB_PATH.exec(pathname)?.[1];
  if (pathname !== "/api/jobs" && jobId === undefined) return null;
  const headers = toHeaders(raw);
  if (refusal({ method, url, headers }, configuredPolicy(), headers.get(CLIENT_IP_HEADER))) return null;
  const who = await identify(headers);
  if (!who.ok) return null;
  let version: string | null;
  if (jobId !== undefined) {
    version = await jobDetailVersion(db(), who.user.id, jobId);
  } else {
    const query = jobListQuery.safeParse(Object.fromEntries(searchParams));
    if (!query.success) return null;
    version = await jobListVersion(db(), who.user.id, query.data);
  }
  if (version === null) return null;
  const answer = versionHeaders(version);
  return matches(ifNoneMatch, answer.ETag) ? { ...COMMON_SECURITY_HEADERS, ...answer } : null;
}
