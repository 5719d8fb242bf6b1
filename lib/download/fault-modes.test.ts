import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createHash } from "node:crypto";
import fsp from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import {
  fetchToStore,
  IN_MEMORY_MAX_BYTES,
  MediaRejectedError,
  type FetchToStoreOptions,
  type StoredFile,
} from "@/lib/download/fetch-to-store";
import { HttpError } from "@/lib/net/http-client";
import { TruncatedResponseError } from "@/lib/net/fetch-errors";
import { IntegrityError } from "@/lib/download/integrity";
import { isRetryable } from "@/lib/net/retryable";
import { discardResumablePart, resumablePartPath } from "@/lib/download/part-file";
import { openSafe } from "@/lib/net/safe-fetch";
import { MemoryBudget } from "@/lib/download/memory-budget";
import { localStorage } from "@/lib/storage/local";
import { noisePng, startFaultServer, type Fault, type FaultResource, type FaultServer } from "@/tests/support/fault-server";
import { testFetchOptions } from "@/tests/support/download-test-server";

// Every way a download can fail, against a real server failing that way: what the caller
// is told, whether it should try again, what is left on disk, and that a resumed download
// ends with exactly the bytes of the file. The fixture files are small, so these tests turn
// the in-memory path off (inMemoryMaxBytes: 0) to go through the part file; the last
// section runs the faults that matter for the in-memory path.

let server: FaultServer;
let big: Buffer;
let other: Buffer;
let dataDir: string;
let tmpDir: string;
let opts: FetchToStoreOptions;

const HELD = 100_000;
let routes = 0;

beforeAll(async () => {
  server = await startFaultServer();
  big = await noisePng(320, 320, 1);
  other = await noisePng(320, 320, 2);
});

afterAll(async () => {
  await server.close();
});

beforeEach(async () => {
  dataDir = await fsp.mkdtemp(path.join(os.tmpdir(), "trawl-fault-modes-"));
  tmpDir = path.join(dataDir, "tmp");
  opts = {
    expected: "image",
    storage: localStorage(dataDir),
    tmpDir,
    inMemoryMaxBytes: 0,
    fetch: testFetchOptions(server.allowEntry),
  };
});

afterEach(async () => {
  server.release();
  await fsp.rm(dataDir, { recursive: true, force: true });
});

const sha256 = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");
const md5 = (bytes: Buffer) => createHash("md5").update(bytes).digest("hex");
const sha1 = (bytes: Buffer) => createHash("sha1").update(bytes).digest("hex");
const png = (body: Buffer, extra: Partial<FaultResource> = {}): FaultResource => ({ body, contentType: "image/png", ...extra });

/** A fresh path per test, so request records never mix. */
function route(name: string): { path: string; url: string } {
  const p = `/${++routes}/${name}`;
  return { path: p, url: `${server.origin}${p}` };
}

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (err) {
    return err as Error;
  }
  throw new Error("expected the download to fail, it succeeded");
}

/** Class and message (toEqual on errors would also compare their causes). */
function expectError(err: Error, type: new (message: string) => Error, message: string) {
  expect(err).toBeInstanceOf(type);
  expect(err.message).toBe(message);
}

async function sizeOf(file: string): Promise<number | null> {
  return fsp.stat(file).then(
    (info) => info.size,
    (err: NodeJS.ErrnoException) => {
      if (err.code === "ENOENT") return null;
      throw err;
    },
  );
}

/** Waits until `bytes` have reached the part file (the fixture holds the rest until release()). */
async function waitForPart(file: string, bytes: number): Promise<void> {
  while (((await sizeOf(file)) ?? 0) < bytes) await new Promise((resolve) => setTimeout(resolve, 10));
}

/** The names in tmpDir; a tmpDir not created yet is empty, any other failure fails the test. */
async function tmpDirNames(): Promise<string[]> {
  try {
    return await fsp.readdir(tmpDir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
}

/** Waits until some part file in tmpDir (random name) holds `bytes`. */
async function waitForAnyPart(bytes: number): Promise<void> {
  for (;;) {
    const names = await tmpDirNames();
    const sizes = await Promise.all(names.map((name) => sizeOf(path.join(tmpDir, name))));
    if (sizes.some((size) => (size ?? 0) >= bytes)) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

async function tmpFiles(): Promise<string[]> {
  return (await tmpDirNames()).sort();
}

/** No part, no sidecar, nothing stored. */
async function expectNothingKept() {
  expect(await tmpFiles()).toEqual([]);
  expect(await fsp.readdir(dataDir)).toEqual(["tmp"]);
}

async function expectStored(stored: StoredFile, bytes: Buffer) {
  expect({ sha256: stored.sha256, bytes: stored.bytes, mime: stored.mime }).toEqual({
    sha256: sha256(bytes),
    bytes: bytes.length,
    mime: "image/png",
  });
  expect(sha256(await fsp.readFile(path.join(dataDir, stored.storageKey)))).toBe(sha256(bytes));
  expect(await tmpFiles()).toEqual([]);
}

/** Starts a keyed download that the fixture cuts after HELD bytes, and waits until they are on disk. */
async function cutAfterHeld(url: string, key: string, extra: Partial<FetchToStoreOptions> = {}) {
  const pending = rejection(fetchToStore(url, { ...opts, ...extra, resumeKey: key }));
  await waitForPart(resumablePartPath(tmpDir, key), HELD);
  server.release();
  return pending;
}

describe("server errors", () => {
  it("500: HttpError with the status, retryable, nothing left behind", async () => {
    const { path: p, url } = route("e500.png");
    server.serve(p, png(big), [{ kind: "status", status: 500 }]);
    const err = await rejection(fetchToStore(url, { ...opts, resumeKey: "e500" }));
    expect(err).toEqual(new HttpError(`HTTP 500 from ${server.allowEntry}`, 500));
    expect(isRetryable(err)).toBe(true);
    expect(await tmpFiles()).toEqual([]);
    await expectStored(await fetchToStore(url, { ...opts, resumeKey: "e500" }), big);
  });

  it("429 with Retry-After: HttpError carrying the wait, retryable", async () => {
    const { path: p, url } = route("e429.png");
    server.serve(p, png(big), [{ kind: "status", status: 429, headers: { "retry-after": "7" } }]);
    const err = (await rejection(fetchToStore(url, opts))) as HttpError;
    expect(err).toBeInstanceOf(HttpError);
    expect([err.message, err.status, err.retryAfterMs]).toEqual([`HTTP 429 from ${server.allowEntry}`, 429, 7_000]);
    expect(isRetryable(err)).toBe(true);
    expect(await tmpFiles()).toEqual([]);
  });

  it("404: not retryable, and a part it finds is deleted", async () => {
    const { path: p, url } = route("gone.png");
    server.serve(p, png(big), [
      { kind: "reset", afterBytes: HELD },
      { kind: "status", status: 404 },
    ]);
    await cutAfterHeld(url, "gone");
    const err = await rejection(fetchToStore(url, { ...opts, resumeKey: "gone" }));
    expect(err).toEqual(new HttpError(`HTTP 404 from ${server.allowEntry}`, 404));
    expect(isRetryable(err)).toBe(false);
    expect(await tmpFiles()).toEqual([]);
  });
});

describe("connection reset mid-body", () => {
  it("keeps the part and resumes it with Range and If-Range to the exact file", async () => {
    const { path: p, url } = route("reset.png");
    server.serve(p, png(big), [{ kind: "reset", afterBytes: HELD }]);
    const part = resumablePartPath(tmpDir, "item-reset");

    const err = await cutAfterHeld(url, "item-reset");
    expect(err).toBeInstanceOf(HttpError);
    expect(err.message).toBe(`connection to ${server.allowEntry} was reset`);
    expect(isRetryable(err)).toBe(true);
    expect(await sizeOf(part)).toBe(HELD);
    expect(await tmpFiles()).toEqual([path.basename(part), `${path.basename(part)}.json`]);

    const integrity = { bytes: big.length, md5: md5(big), sha1: sha1(big).toUpperCase() };
    const stored = await fetchToStore(url, { ...opts, resumeKey: "item-reset", integrity });
    await expectStored(stored, big);
    expect(stored.warnings).toEqual([]);
    const etag = `"${sha1(big).slice(0, 16)}"`; // the fixture's ETag for this body
    expect(server.requests(p)).toEqual([
      { range: null, ifRange: null, status: 200 },
      { range: `bytes=${HELD}-`, ifRange: etag, status: 206 },
    ]);
  });

  it("without a resume key deletes the part, as before", async () => {
    const { path: p, url } = route("reset-once.png");
    server.serve(p, png(big), [{ kind: "reset", afterBytes: HELD }]);
    const pending = rejection(fetchToStore(url, opts));
    await waitForAnyPart(HELD);
    server.release();
    expect((await pending).message).toBe(`connection to ${server.allowEntry} was reset`);
    expect(await tmpFiles()).toEqual([]);
  });

  it("does not keep a part it could never resume (no ETag, no Last-Modified)", async () => {
    const { path: p, url } = route("no-validator.png");
    server.serve(p, png(big, { etag: null, lastModified: null }), [{ kind: "reset", afterBytes: HELD }]);
    expect((await cutAfterHeld(url, "plain")).message).toBe(`connection to ${server.allowEntry} was reset`);
    expect(await tmpFiles()).toEqual([]);
  });

  it("uses Last-Modified for If-Range when there is no strong ETag", async () => {
    const { path: p, url } = route("weak.png");
    server.serve(p, png(big, { etag: 'W/"weak"' }), [{ kind: "reset", afterBytes: HELD }]);
    await cutAfterHeld(url, "weak");
    await expectStored(await fetchToStore(url, { ...opts, resumeKey: "weak" }), big);
    expect(server.requests(p)[1]).toEqual({ range: `bytes=${HELD}-`, ifRange: "Wed, 21 Oct 2015 07:28:00 GMT", status: 206 });
  });

  it("keeps the part through a 5xx on the resume, then finishes", async () => {
    const { path: p, url } = route("reset-503.png");
    server.serve(p, png(big), [
      { kind: "reset", afterBytes: HELD },
      { kind: "status", status: 503 },
    ]);
    await cutAfterHeld(url, "r503");
    const err = await rejection(fetchToStore(url, { ...opts, resumeKey: "r503" }));
    expect(err).toEqual(new HttpError(`HTTP 503 from ${server.allowEntry}`, 503));
    expect(isRetryable(err)).toBe(true);
    expect(await sizeOf(resumablePartPath(tmpDir, "r503"))).toBe(HELD);
    await expectStored(await fetchToStore(url, { ...opts, resumeKey: "r503" }), big);
    expect(server.requests(p).map((r) => [r.range, r.status])).toEqual([
      [null, 200],
      [`bytes=${HELD}-`, 503],
      [`bytes=${HELD}-`, 206],
    ]);
  });

  it("starts over when the server answers the Range with the whole file (200)", async () => {
    const { path: p, url } = route("ignore-range.png");
    server.serve(p, png(big), [{ kind: "reset", afterBytes: HELD }, { kind: "ignore-range" }]);
    await cutAfterHeld(url, "ignore");
    await expectStored(await fetchToStore(url, { ...opts, resumeKey: "ignore" }), big);
    expect(server.requests(p).map((r) => r.status)).toEqual([200, 200]);
  });

  it("stores the new file when it changed since the cut (If-Range no longer matches)", async () => {
    const { path: p, url } = route("changed.png");
    server.serve(p, png(big), [{ kind: "reset", afterBytes: HELD }]);
    await cutAfterHeld(url, "changed");
    server.serve(p, png(other));
    await expectStored(await fetchToStore(url, { ...opts, resumeKey: "changed" }), other);
    expect(server.requests(p).map((r) => [r.range, r.status])).toEqual([
      [null, 200],
      [`bytes=${HELD}-`, 200],
    ]);
  });

  it("starts over, with a warning, when the server sends another range than asked", async () => {
    const { path: p, url } = route("shifted.png");
    server.serve(p, png(big), [
      { kind: "reset", afterBytes: HELD },
      { kind: "shift-range", by: 1000 },
    ]);
    await cutAfterHeld(url, "shifted");
    const stored = await fetchToStore(url, { ...opts, resumeKey: "shifted" });
    await expectStored(stored, big);
    expect(stored.warnings).toEqual([
      `could not resume the partial download (asked for bytes from ${HELD}, the server sent bytes ${HELD + 1000}-${big.length - 1}); downloading it again from the start`,
    ]);
    expect(server.requests(p).map((r) => [r.range, r.status])).toEqual([
      [null, 200],
      [`bytes=${HELD}-`, 206],
      [null, 200],
    ]);
  });

  it("rejects a resumed file whose full size is over the cap, and deletes the part", async () => {
    const { path: p, url } = route("grown.png");
    server.serve(p, png(big), [{ kind: "reset", afterBytes: HELD }]);
    await cutAfterHeld(url, "grown");
    const capped = { ...opts.fetch, maxBytes: 200 * 1024 };
    const err = await rejection(fetchToStore(url, { ...opts, fetch: capped, resumeKey: "grown" }));
    expect(err).toBeInstanceOf(MediaRejectedError);
    expect(err.message).toMatch(new RegExp(`^response from ${server.allowEntry} is \\d+ KB, over the 200 KB limit$`));
    expect(isRetryable(err)).toBe(false);
    expect(await tmpFiles()).toEqual([]);
  });

  it("keeps the part when the caller aborts, until it is discarded", async () => {
    const { path: p, url } = route("aborted.png");
    server.serve(p, png(big), [{ kind: "stall", afterBytes: HELD }]);
    const controller = new AbortController();
    const reason = new Error("job cancelled");
    const pending = rejection(fetchToStore(url, { ...opts, resumeKey: "aborted", signal: controller.signal }));
    await waitForPart(resumablePartPath(tmpDir, "aborted"), HELD);
    controller.abort(reason);
    expect(await pending).toBe(reason);
    expect(await sizeOf(resumablePartPath(tmpDir, "aborted"))).toBe(HELD);
    await discardResumablePart(tmpDir, "aborted");
    expect(await tmpFiles()).toEqual([]);
  });

  it("refuses a second download with the same resume key while the first runs", async () => {
    const { path: p, url } = route("twice.png");
    server.serve(p, png(big), [{ kind: "reset", afterBytes: HELD }]);
    const first = rejection(fetchToStore(url, { ...opts, resumeKey: "twice" }));
    await waitForPart(resumablePartPath(tmpDir, "twice"), HELD);
    const second = await rejection(fetchToStore(url, { ...opts, resumeKey: "twice" }));
    expect(second.message).toBe("this item is already being downloaded (same resume key)");
    server.release();
    await first;
    expect(await sizeOf(resumablePartPath(tmpDir, "twice"))).toBe(HELD);
  });
});

describe("stalled body", () => {
  it("ends with the idle timeout, keeps the part and resumes it", async () => {
    const { path: p, url } = route("stall.png");
    server.serve(p, png(big), [{ kind: "stall", afterBytes: HELD }]);
    const stalling = { ...opts, fetch: { ...opts.fetch, idleTimeoutMs: 1_000 }, resumeKey: "stall" };
    const err = await rejection(fetchToStore(url, stalling));
    expect(err).toBeInstanceOf(HttpError);
    expect(err.message).toBe(`no response from ${server.allowEntry} for 1 s`);
    expect(isRetryable(err)).toBe(true);
    expect(await sizeOf(resumablePartPath(tmpDir, "stall"))).toBe(HELD);
    await expectStored(await fetchToStore(url, stalling), big);
    expect(server.requests(p).map((r) => [r.range, r.status])).toEqual([
      [null, 200],
      [`bytes=${HELD}-`, 206],
    ]);
  });
});

describe("truncated body", () => {
  it("is an error naming what arrived, never a stored short file", async () => {
    const { path: p, url } = route("short.png");
    server.serve(p, png(big), [{ kind: "truncate", afterBytes: HELD }]);
    const pending = rejection(fetchToStore(url, opts));
    await waitForAnyPart(HELD);
    server.release();
    const err = await pending;
    expectError(err, TruncatedResponseError, `truncated: got ${HELD} of ${big.length} bytes from ${server.allowEntry}`);
    expect(err).toBeInstanceOf(HttpError);
    expect(isRetryable(err)).toBe(true);
    await expectNothingKept();
  });

  it("is reported by openSafe itself when the connection closes early", async () => {
    const { path: p, url } = route("short-raw.png");
    server.serve(p, png(big), [{ kind: "truncate", afterBytes: HELD }]);
    const response = await openSafe(url, opts.fetch);
    let received = 0;
    const reading = rejection(
      (async () => {
        for await (const chunk of response.body) {
          received += (chunk as Buffer).length;
          if (received >= HELD) server.release();
        }
      })(),
    );
    expectError(await reading, TruncatedResponseError, `truncated: got ${HELD} of ${big.length} bytes from ${server.allowEntry}`);
  });

  it("keeps the part with a resume key and completes it", async () => {
    const { path: p, url } = route("short-resume.png");
    server.serve(p, png(big), [{ kind: "truncate", afterBytes: HELD }]);
    const err = await cutAfterHeld(url, "short");
    expect(err).toBeInstanceOf(TruncatedResponseError);
    expect(await sizeOf(resumablePartPath(tmpDir, "short"))).toBe(HELD);
    await expectStored(await fetchToStore(url, { ...opts, resumeKey: "short" }), big);
  });
});

describe("a part that is already complete", () => {
  it("takes 416 to a resume as done, after checking the size, and stores the part", async () => {
    const { path: p, url } = route("complete.png");
    server.serve(p, png(big));
    // A real failure after the last byte: storage cannot create files/<ab>/ (a file is in the way).
    await fsp.writeFile(path.join(dataDir, "files"), "not a directory");
    const err = await rejection(fetchToStore(url, { ...opts, resumeKey: "complete" }));
    expect((err as NodeJS.ErrnoException).code).toBe("ENOTDIR");
    expect(isRetryable(err)).toBe(true);
    expect(await sizeOf(resumablePartPath(tmpDir, "complete"))).toBe(big.length);

    await fsp.rm(path.join(dataDir, "files"));
    await expectStored(await fetchToStore(url, { ...opts, resumeKey: "complete", integrity: { md5: md5(big) } }), big);
    expect(server.requests(p).map((r) => [r.range, r.status])).toEqual([
      [null, 200],
      [`bytes=${big.length}-`, 416],
    ]);
  });
});

describe("wrong content", () => {
  it("refuses HTML served as image/jpeg: not retryable, part deleted", async () => {
    const { path: p, url } = route("html-as-jpeg.jpg");
    const html = Buffer.from(`<!DOCTYPE html><html><head><title>Blocked</title></head><body>${"x".repeat(100_000)}</body></html>`);
    server.serve(p, { body: html, contentType: "image/jpeg" });
    const err = await rejection(fetchToStore(url, { ...opts, resumeKey: "html" }));
    expect(err).toEqual(new MediaRejectedError("expected media but got an HTML page"));
    expect(isRetryable(err)).toBe(false);
    expect(await tmpFiles()).toEqual([]);
  });

  it("refuses a declared oversize body before reading it", async () => {
    const { path: p, url } = route("oversize.png");
    server.serve(p, png(big));
    const err = await rejection(fetchToStore(url, { ...opts, fetch: { ...opts.fetch, maxBytes: 64 * 1024 }, resumeKey: "over" }));
    expect(err).toBeInstanceOf(MediaRejectedError);
    expect(err.message).toMatch(new RegExp(`^response from ${server.allowEntry} is \\d+ KB, over the 64 KB limit$`));
    expect(isRetryable(err)).toBe(false);
    expect(await tmpFiles()).toEqual([]);
  });

  it("stops an oversize chunked body mid-stream and deletes what was written", async () => {
    const { path: p, url } = route("oversize-chunked.png");
    server.serve(p, png(big, { chunked: true }));
    const err = await rejection(fetchToStore(url, { ...opts, fetch: { ...opts.fetch, maxBytes: 128 * 1024 }, resumeKey: "over-chunked" }));
    expectError(err, MediaRejectedError, `response from ${server.allowEntry} is over the 128 KB limit`);
    expect(isRetryable(err)).toBe(false);
    expect(await tmpFiles()).toEqual([]);
  });
});

describe("integrity", () => {
  it("accepts matching size, md5 and sha1", async () => {
    const { path: p, url } = route("checked.png");
    server.serve(p, png(big));
    await expectStored(await fetchToStore(url, { ...opts, integrity: { bytes: big.length, md5: md5(big), sha1: sha1(big) } }), big);
  });

  it.each([
    ["md5", { md5: "0".repeat(32) }, () => `checksum mismatch: expected md5 ${"0".repeat(32)}, got ${md5(big)}`],
    ["sha1", { sha1: "F".repeat(40) }, () => `checksum mismatch: expected sha1 ${"f".repeat(40)}, got ${sha1(big)}`],
    ["size", { bytes: 1234 }, () => `size mismatch: expected 1234 bytes, got ${big.length}`],
  ])("a %s mismatch throws IntegrityError, deletes the part and stores nothing", async (_name, integrity, message) => {
    const { path: p, url } = route("mismatch.png");
    server.serve(p, png(big));
    const err = await rejection(fetchToStore(url, { ...opts, resumeKey: "mismatch", integrity }));
    expect(err).toEqual(new IntegrityError(message()));
    expect(isRetryable(err)).toBe(true);
    await expectNothingKept();
  });

  it("catches a part spliced from two versions of a file (no validator to tell)", async () => {
    // No ETag, and a Last-Modified the server does not update when the file changes: If-Range
    // matches, so the new file's tail is appended to the old one's head. The md5 catches it.
    const { path: p, url } = route("spliced.png");
    server.serve(p, png(big, { etag: null }), [{ kind: "reset", afterBytes: HELD }]);
    await cutAfterHeld(url, "spliced");
    server.serve(p, png(other, { etag: null }));
    const err = await rejection(fetchToStore(url, { ...opts, resumeKey: "spliced", integrity: { md5: md5(big) } }));
    expect(err).toBeInstanceOf(IntegrityError);
    expect(err.message).toMatch(/^checksum mismatch: expected md5 [0-9a-f]{32}, got [0-9a-f]{32}$/);
    expect(await tmpFiles()).toEqual([]);
  });

  it("refuses malformed expectations before fetching", async () => {
    const { path: p, url } = route("never.png");
    server.serve(p, png(big));
    const err = await rejection(fetchToStore(url, { ...opts, integrity: { md5: "abc" } }));
    expect(err.message).toMatch(/^invalid expected size or checksum: .*an md5 is 32 hex digits/s);
    expect(server.requests(p)).toEqual([]);
  });
});

describe("small files, read into memory (the default up to IN_MEMORY_MAX_BYTES)", () => {
  const inMemory = () => ({ ...opts, inMemoryMaxBytes: IN_MEMORY_MAX_BYTES });

  /** A keyed in-memory download the fixture cuts (`fault`); released once the request has arrived, as there is no part file to watch. */
  async function cutInMemory(name: string, fault: Fault) {
    const { path: p, url } = route(`${name}.png`);
    server.serve(p, png(big), [fault]);
    const pending = rejection(fetchToStore(url, { ...inMemory(), resumeKey: name }));
    while (server.requests(p).length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    server.release();
    return { err: await pending, p, url };
  }

  it("stores the file without a part file and asks for the whole file again after a cut", async () => {
    const { err, p, url } = await cutInMemory("memory-truncated", { kind: "truncate", afterBytes: HELD });
    expect(err).toBeInstanceOf(TruncatedResponseError);
    expect(err.message).toMatch(new RegExp(`^truncated: got \\d+ of ${big.length} bytes from ${server.allowEntry}$`));
    expect(isRetryable(err)).toBe(true);
    expect(await tmpFiles()).toEqual([]);

    await expectStored(await fetchToStore(url, { ...inMemory(), resumeKey: "memory-truncated" }), big);
    expect(server.requests(p).map((r) => [r.range, r.status])).toEqual([
      [null, 200],
      [null, 200],
    ]);
  });

  it("a connection reset is retryable and leaves nothing behind", async () => {
    const { err } = await cutInMemory("memory-reset", { kind: "reset", afterBytes: HELD });
    expect(isRetryable(err)).toBe(true);
    await expectNothingKept();
  });

  it("a stalled body ends with the idle timeout and leaves nothing behind", async () => {
    const { path: p, url } = route("memory-stall.png");
    server.serve(p, png(big), [{ kind: "stall", afterBytes: HELD }]);
    const err = await rejection(
      fetchToStore(url, { ...inMemory(), fetch: { ...opts.fetch, idleTimeoutMs: 500 }, resumeKey: "memory-stall" }),
    );
    expect(isRetryable(err)).toBe(true);
    expect(err.message).toMatch(new RegExp(`^no response from ${server.allowEntry} for 0.5 s`));
    expect(await tmpFiles()).toEqual([]);
  });

  it("a checksum mismatch stores nothing", async () => {
    const { path: p, url } = route("memory-mismatch.png");
    server.serve(p, png(big));
    const err = await rejection(fetchToStore(url, { ...inMemory(), integrity: { md5: "0".repeat(32) } }));
    expect(err).toEqual(new IntegrityError(`checksum mismatch: expected md5 ${"0".repeat(32)}, got ${md5(big)}`));
    expect(await fsp.readdir(dataDir)).toEqual(["tmp"]);
  });

  it("a part left by a cut streamed download is resumed; when the server sends the whole file instead, the part is deleted", async () => {
    const { path: p, url } = route("memory-after-part.png");
    server.serve(p, png(big), [{ kind: "reset", afterBytes: HELD }]);
    await cutAfterHeld(url, "memory-after-part");
    expect(await sizeOf(resumablePartPath(tmpDir, "memory-after-part"))).toBe(HELD);
    server.serve(p, png(big), [{ kind: "ignore-range" }]);
    await expectStored(await fetchToStore(url, { ...inMemory(), resumeKey: "memory-after-part" }), big);
    expect(server.requests(p).map((r) => [r.range, r.status])).toEqual([
      [null, 200],
      [`bytes=${HELD}-`, 200],
    ]);
  });

  it("refuses HTML served as an image before keeping any of it", async () => {
    const { path: p, url } = route("memory-html.jpg");
    server.serve(p, { body: Buffer.from(`<!DOCTYPE html><html><body>${"x".repeat(10_000)}</body></html>`), contentType: "image/jpeg" });
    const err = await rejection(fetchToStore(url, inMemory()));
    expect(err).toEqual(new MediaRejectedError("expected media but got an HTML page"));
    expect(await fsp.readdir(dataDir)).toEqual(["tmp"]);
  });
});

describe("the memory budget of in-memory downloads", () => {
  it("streams a small file to its part when the budget is spent, and holds nothing after success or failure", async () => {
    const budget = new MemoryBudget(big.length - 1);
    const { path: p, url } = route("over-budget.png");
    server.serve(p, png(big), [{ kind: "reset", afterBytes: HELD }]);
    // Does not fit: the file streams to its part, so the cut leaves bytes to resume from.
    const err = await cutAfterHeld(url, "over-budget", { inMemoryMaxBytes: IN_MEMORY_MAX_BYTES, memoryBudget: budget });
    expect(isRetryable(err)).toBe(true);
    expect(await sizeOf(resumablePartPath(tmpDir, "over-budget"))).toBe(HELD);
    expect(budget.usedBytes).toBe(0);
    await discardResumablePart(tmpDir, "over-budget");

    const roomy = new MemoryBudget(big.length);
    const { path: q, url: other } = route("in-budget.png");
    server.serve(q, png(big));
    await expectStored(await fetchToStore(other, { ...opts, inMemoryMaxBytes: IN_MEMORY_MAX_BYTES, memoryBudget: roomy }), big);
    expect(roomy.usedBytes).toBe(0);
  });

  it("gives its share back when the transfer fails", async () => {
    const budget = new MemoryBudget(IN_MEMORY_MAX_BYTES);
    const { path: p, url } = route("budget-mismatch.png");
    server.serve(p, png(big));
    await rejection(
      fetchToStore(url, { ...opts, inMemoryMaxBytes: IN_MEMORY_MAX_BYTES, memoryBudget: budget, integrity: { md5: "0".repeat(32) } }),
    );
    expect(budget.usedBytes).toBe(0);
  });
});

describe("MemoryBudget", () => {
  it("lends what fits and refuses the rest until it is given back", () => {
    const budget = new MemoryBudget(100);
    expect([budget.tryTake(60), budget.tryTake(50), budget.tryTake(40)]).toEqual([true, false, true]);
    expect(budget.usedBytes).toBe(100);
    budget.release(60);
    expect(budget.tryTake(50)).toBe(true);
    expect(() => budget.release(500)).toThrow("internal: released 500 bytes of a memory budget holding 90");
  });
});
