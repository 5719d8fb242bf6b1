import { afterEach, expect } from "vitest";
import { startSourceTestServer, type FixtureHandler, type SourceTestServer } from "@/tests/support/source-test-server";
import { SourceError, type SearchRequest, type SourceAdapter } from "@/lib/sources/types";

// Test support for the source adapter tests (nothing in the app imports this): search requests
// with each file's defaults, the check that a search fails with a SourceError, and a test server
// started in a test and closed after it.

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
