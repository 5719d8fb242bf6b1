import { expect } from "vitest";
import type { FixtureReply } from "@/tests/support/source-test-server";
import { expectSourceError } from "@/tests/support/source-test-kit";

// Test support for the museum, archive and science adapter contract tests (nothing in the app
// imports this): the same failure replies for every API, and the checks that each one surfaces
// as a SourceError naming the source (requests, servers and the SourceError check itself come
// from source-test-kit, shared with every adapter test).

/** Failure scenarios selected by the search term ("down", "throttled", "denied", "badjson"; "gone", no reply, is a 404 from the test server). */
export function failureReply(scenario: string | null): FixtureReply | undefined {
  switch (scenario) {
    case "down":
      return { status: 500, body: { error: "Internal Server Error" } };
    case "throttled":
      return { status: 429, headers: { "retry-after": "60" }, body: { error: "Too Many Requests" } };
    case "denied":
      return { status: 401, body: { error: "Unauthorized" } };
    case "badjson":
      return { body: '{"results": [', headers: { "content-type": "application/json" } };
    default:
      return undefined;
  }
}

function escape(text: string) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** Runs every failure scenario through `search` and checks the SourceError each one becomes. */
export async function expectFailuresReported(name: string, search: (scenario: string) => Promise<unknown>, options: { keyed: boolean }) {
  const prefix = `^${escape(name)}: `;
  const down = await expectSourceError(search("down"), new RegExp(`${prefix}HTTP 500 from 127\\.0\\.0\\.1:\\d+$`));
  expect(down.status).toBe(500);
  expect(down.retryable).toBe(true);

  const throttled = await expectSourceError(search("throttled"), new RegExp(`${prefix}HTTP 429 from `));
  expect(throttled.retryable).toBe(true);
  expect(throttled.retryAfterMs).toBe(60_000);

  const denied = await expectSourceError(
    search("denied"),
    new RegExp(options.keyed ? `${prefix}API key rejected \\(401\\)$` : `${prefix}HTTP 401 from `),
  );
  expect(denied.status).toBe(401);
  expect(denied.retryable).toBe(false);

  await expectSourceError(search("badjson"), new RegExp(`${prefix}malformed JSON from 127\\.0\\.0\\.1:\\d+$`));

  const gone = await expectSourceError(search("gone"), new RegExp(`${prefix}HTTP 404 from `));
  expect(gone.retryable).toBe(false);
}
