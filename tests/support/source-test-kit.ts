import { afterEach, expect } from "vitest";
import {
  startSourceTestServer,
  TEST_USER_AGENT,
  type FixtureHandler,
  type FixtureReply,
  type RecordedRequest,
  type SourceTestServer,
} from "@/tests/support/source-test-server";
import {
  SourceError,
  type DroppedRecord,
  type SearchPage,
  type SearchRequest,
  type SourceAdapter,
  type SourceContext,
  type SourceItem,
} from "@/lib/sources/types";

// Test support for the source adapter tests (nothing in the app imports this): search requests
// with each file's defaults, the check that a search fails with a SourceError, a test server
// started in a test and closed after it, a walk over every page of a search, the checks of an
// empty answer and of the one request sent, and fixture handlers built from a table of replies.

/**
 * A search request builder whose defaults are a test file's own, laid over the common ones
 * (query "aurora", images, safe search, limit 100, first page); each call's overrides come last.
 */
export function requestWith(defaults: Partial<SearchRequest>): (overrides?: Partial<SearchRequest>) => SearchRequest {
  return (overrides = {}) => ({
    query: "aurora",
    targetUrls: [],
    mediaTypes: "images",
    safeSearch: true,
    limit: 100,
    cursor: null,
    ...defaults,
    ...overrides,
  });
}

/** A search request with the common defaults and the given overrides. */
export const searchRequest = requestWith({});

/** Awaits a promise that must reject with a SourceError whose message matches; returns the error for further checks. */
export async function expectSourceError(promise: Promise<unknown>, message: RegExp) {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SourceError);
  expect((error as SourceError).message).toMatch(message);
  return error as SourceError;
}

/**
 * Returns a starter for test servers and registers an afterEach that closes every server it
 * started in the test (a test may close one itself first). Call it at the top of a test file
 * (or of a describe block).
 */
export function serverPerTest(): (handler: FixtureHandler) => Promise<SourceTestServer> {
  const started: SourceTestServer[] = [];
  afterEach(async () => {
    await Promise.all(started.splice(0).map((server) => server.close()));
  });
  return async (handler) => {
    const server = await startSourceTestServer(handler);
    let closing: Promise<void> | undefined;
    const once = { ...server, close: () => (closing ??= server.close()) };
    started.push(once);
    return once;
  };
}

/**
 * Like serverPerTest, but each start also makes the adapter under test pointed at the new
 * server (`make` may set the server's context, e.g. its key, first): `const { source, server } = await start(handler)`.
 */
export function adapterPerTest<Args extends unknown[]>(
  make: (server: SourceTestServer, ...args: Args) => SourceAdapter,
): (handler: FixtureHandler, ...args: Args) => Promise<{ source: SourceAdapter; server: SourceTestServer }> {
  const start = serverPerTest();
  return async (handler, ...args) => {
    const server = await start(handler);
    return { source: make(server, ...args), server };
  };
}

export interface WalkedPages {
  /** Every page, in order. */
  pages: SearchPage[];
  /** The items of every page, in order. */
  items: SourceItem[];
  /** The remote ids of those items. */
  ids: string[];
  /** The nextCursor of each page (the last one null). */
  cursors: (string | null)[];
  /** Each page's drops (an empty list for a page without any). */
  dropped: DroppedRecord[][];
}

/**
 * Walks a search from the request's cursor until nextCursor is null, checking that no page holds
 * more items than the request's limit (unless `overLimit`: an adapter that hands a record's items
 * back whole). Fails after `maxCalls` pages, so that a cursor that never ends fails the test.
 */
export async function walkPages(
  source: SourceAdapter,
  request: SearchRequest,
  context: SourceContext,
  { overLimit = false, maxCalls = 20 }: { overLimit?: boolean; maxCalls?: number } = {},
): Promise<WalkedPages> {
  const walked: WalkedPages = { pages: [], items: [], ids: [], cursors: [], dropped: [] };
  let cursor = request.cursor;
  do {
    if (walked.pages.length >= maxCalls) throw new Error(`${source.name}: still a next page after ${maxCalls} calls`);
    const page = await source.search({ ...request, cursor }, context);
    if (!overLimit) expect(page.items.length).toBeLessThanOrEqual(request.limit);
    walked.pages.push(page);
    walked.items.push(...page.items);
    walked.ids.push(...page.items.map((item) => item.remoteId));
    walked.dropped.push(page.dropped ?? []);
    cursor = page.nextCursor;
    walked.cursors.push(cursor);
  } while (cursor !== null);
  return walked;
}

/** Awaits a search that must finish at once: no items, no drops, no next page. */
export async function expectEmpty(page: Promise<SearchPage>) {
  expect(await page).toEqual({ items: [], nextCursor: null });
}

/**
 * Checks that the server received exactly one request, at `path` when given, with exactly these
 * query parameters and the test User-Agent; returns it for further checks (e.g. its headers).
 */
export function expectRequest(server: SourceTestServer, { path, params }: { path?: string; params: Record<string, string> }) {
  expect(server.requests).toHaveLength(1);
  const [sent] = server.requests;
  if (path !== undefined) expect(sent.path).toBe(path);
  expect(Object.fromEntries(sent.params)).toEqual(params);
  expect(sent.headers["user-agent"]).toBe(TEST_USER_AGENT);
  return sent;
}

/**
 * A fixture handler that answers by the value of one query parameter (or of what `key` reads from
 * the request), from a table of replies; a value not in it gets a 404:
 * `repliesBy("tags", { down: { status: 500, body: "" } })`.
 */
export function repliesBy(
  key: string | ((request: RecordedRequest) => string | undefined),
  replies: Record<string, FixtureReply>,
): FixtureHandler {
  return (request) => {
    const value = typeof key === "string" ? request.params.get(key) : key(request);
    return value != null && Object.hasOwn(replies, value) ? replies[value] : undefined;
  };
}

/** A reply that says it is JSON but is not (cut off): `text` is sent as is. */
export function notJson(text: string): FixtureReply {
  return { body: text, headers: { "content-type": "application/json" } };
}
