import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sourceSettingSuffix } from "@/lib/config";
import { sources } from "@/lib/sources/registry";
import { SourceError, type SearchRequest, type SourceAdapter } from "@/lib/sources/types";
import { searchRequest } from "@/tests/support/source-test-kit";
import { startSourceTestServer, type FixtureReply, type SourceTestServer } from "@/tests/support/source-test-server";

// The failure contract, for every adapter of the catalog from one table: whatever a remote
// answers — 401, 404, 429 with Retry-After, 500, a body that is not JSON, a JSON body without the
// fields the adapter reads — the search fails with a SourceError that names the source, says what
// happened, and tells the job whether a retry can help. The adapters are the catalog's own
// entries (one per adapter module), pointed at one local server by TRAWL_URL_<SOURCE>.

type Scenario = "401" | "404" | "429" | "500" | "not-json" | "missing-fields";

const REPLIES: Record<Scenario, FixtureReply> = {
  "401": { status: 401, body: { error: "Unauthorized" } },
  "404": { status: 404, body: { error: "Not Found" } },
  "429": { status: 429, headers: { "retry-after": "60" }, body: { error: "Too Many Requests" } },
  "500": { status: 500, body: { error: "Internal Server Error" } },
  "not-json": { headers: { "content-type": "application/json" }, body: '{"results": [' },
  "missing-fields": { body: {} },
};

interface Expected {
  message: RegExp;
  status?: number;
  retryable: boolean;
  retryAfterMs?: number;
}

/** What a scenario must become, for an adapter that reads JSON from one API. */
function expectedFor(source: SourceAdapter, scenario: Scenario): Expected {
  const from = String.raw`from 127\.0\.0\.1:\d+`;
  switch (scenario) {
    case "401":
      return source.key
        ? { message: /API key rejected \(401\)$/, status: 401, retryable: false }
        : { message: new RegExp(`HTTP 401 ${from}`), status: 401, retryable: false };
    case "404":
      return { message: new RegExp(`HTTP 404 ${from}`), status: 404, retryable: false };
    case "429":
      return { message: new RegExp(`HTTP 429 ${from}`), status: 429, retryable: true, retryAfterMs: 60_000 };
    case "500":
      return { message: new RegExp(`HTTP 500 ${from}`), status: 500, retryable: true };
    case "not-json":
      return { message: new RegExp(`malformed JSON ${from}`), retryable: true };
    case "missing-fields":
      return { message: /malformed response \(.+\)$/, retryable: false };
  }
}

/**
 * Adapters that read something other than one JSON API, and what they answer instead. Each
 * line is a deliberate difference, with its reason.
 */
const NO_REQUEST = "no request" as const;
const DIFFERENCES: Partial<Record<string, Partial<Record<Scenario, Expected | typeof NO_REQUEST>>>> = {
  // Takes the job's file URLs as they are: nothing is fetched until the download, which checks each file.
  "direct-links": {
    "401": NO_REQUEST,
    "404": NO_REQUEST,
    "429": NO_REQUEST,
    "500": NO_REQUEST,
    "not-json": NO_REQUEST,
    "missing-fields": NO_REQUEST,
  },
  // Reads HTML pages: a JSON answer is not a page.
  "web-page": {
    "not-json": { message: /is not an HTML page \(application\/json\); use Direct links/, retryable: false },
    "missing-fields": { message: /is not an HTML page \(application\/json\); use Direct links/, retryable: false },
  },
  // Reads RSS, Atom or JSON Feed: a JSON answer is read as a JSON Feed.
  feed: {
    "not-json": { message: /malformed response \(.+ is not valid JSON\)$/, retryable: false },
    "missing-fields": { message: /is not a JSON Feed \(/, retryable: false },
  },
  // Reads sitemap XML: a JSON answer is not a sitemap.
  sitemap: {
    "not-json": { message: /is not a sitemap \(application\/json\)$/, retryable: false },
    "missing-fields": { message: /is not a sitemap \(application\/json\)$/, retryable: false },
  },
};

/** One catalog entry per adapter module, and one more where the module serves both keyed and open entries (Gelbooru, Safebooru). */
const kindOf = (source: SourceAdapter) => `${source.adapter}${source.key ? " (keyed)" : ""}`;
const adapters = sources.filter((source, i) => sources.findIndex((other) => kindOf(other) === kindOf(source)) === i);

/** A key of the shape the strictest adapter wants (Gelbooru: "<user id>:<api key>"). */
const KEY = "1234:test-key";

let server: SourceTestServer;
let scenario: Scenario = "500";

beforeAll(async () => {
  server = await startSourceTestServer(() => REPLIES[scenario]);
  // Read by config() on the first search; nothing has read the configuration before.
  for (const source of adapters) process.env[`TRAWL_URL_${sourceSettingSuffix(source.id)}`] = server.origin;
});

afterAll(() => server.close());

function request(): SearchRequest {
  return searchRequest({ query: "aurora", mediaTypes: "both", safeSearch: false, targetUrls: [`${server.origin}/page`] });
}

async function failureOf(source: SourceAdapter) {
  const before = server.requests.length;
  const error = await source.search(request(), { ...server.context, key: KEY }).then(
    () => undefined,
    (e: unknown) => e,
  );
  return { error, requests: server.requests.length - before };
}

function escape(text: string) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

describe("the failure contract of every adapter", () => {
  it("covers every adapter module of the catalog", () => {
    expect(adapters.length).toBeGreaterThanOrEqual(33);
    expect(new Set(adapters.map((source) => source.adapter)).size).toBe(new Set(sources.map((source) => source.adapter)).size);
  });

  const scenarios = Object.keys(REPLIES) as Scenario[];
  describe.each(adapters.map((source) => [kindOf(source), source] as const))("%s", (_kind, source) => {
    it.each(scenarios)("answers %s with a SourceError that names the source", async (each) => {
      scenario = each;
      const expected = DIFFERENCES[source.adapter]?.[each] ?? expectedFor(source, each);
      const { error, requests } = await failureOf(source);
      if (expected === NO_REQUEST) {
        expect(error).toBeUndefined();
        expect(requests).toBe(0);
        return;
      }
      expect(error, `${source.adapter} did not fail on ${each}`).toBeInstanceOf(SourceError);
      const failure = error as SourceError;
      expect(failure.message).toMatch(new RegExp(`^${escape(source.name)}: `));
      expect(failure.message).toMatch(expected.message);
      if (expected.status !== undefined) expect(failure.status).toBe(expected.status);
      expect(failure.retryable).toBe(expected.retryable);
      if (expected.retryAfterMs !== undefined) expect(failure.retryAfterMs).toBe(expected.retryAfterMs);
    });
  });
});
