import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { request } from "undici";
import { BlockedUrlError, HttpError } from "@/lib/net/http-client";
import { createHttpClient, openSafe, safeFetchOptionsFromConfig, type SafeFetchOptions } from "@/lib/net/safe-fetch";
import { ResponseTooLargeError } from "@/lib/net/fetch-errors";
import { createGuardedAgent } from "@/lib/net/guarded-agent";
import { loadConfig } from "@/lib/config";
import { LARGE_BODY_BYTES, startFixtureServer, testFetchOptions, type FixtureServer } from "@/tests/support/download-test-server";

let fixture: FixtureServer;
/** A second server that is never allow-listed: it must never see a connection. */
let forbidden: FixtureServer;
let options: SafeFetchOptions;

beforeAll(async () => {
  forbidden = await startFixtureServer();
  fixture = await startFixtureServer({ otherPort: forbidden.port });
  options = testFetchOptions(fixture.allowEntry, "TrawlTest/1.0 (+https://example.org/trawl)");
});

afterAll(async () => {
  await fixture.close();
  await forbidden.close();
});

async function readAll(body: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function failure(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (err) {
    return err as Error;
  }
  throw new Error("expected the fetch to fail, it succeeded");
}

describe("openSafe", () => {
  it("streams an allow-listed fixture with status, headers and length", async () => {
    const response = await openSafe(`${fixture.origin}/image.png`, options);
    expect(response.status).toBe(200);
    expect(response.url).toBe(`${fixture.origin}/image.png`);
    expect(response.headers["content-type"]).toBe("image/png");
    expect(response.contentLength).toBe(fixture.png.length);
    expect((await readAll(response.body)).equals(fixture.png)).toBe(true);
  });

  it("follows a redirect chain and reports the final URL", async () => {
    const response = await openSafe(`${fixture.origin}/chain/4`, options);
    expect(response.url).toBe(`${fixture.origin}/image.png`);
    expect((await readAll(response.body)).equals(fixture.png)).toBe(true);
  });

  it("gives up after too many redirects", async () => {
    const err = await failure(openSafe(`${fixture.origin}/chain/4`, { ...options, maxRedirects: 3 }));
    expect(err).toBeInstanceOf(HttpError);
    expect(err.message).toMatch(/^too many redirects \(over 3\)/);
    expect((await failure(openSafe(`${fixture.origin}/loop`, options))).message).toMatch(/^too many redirects \(over 5\)/);
  });

  it("refuses a redirect to a private address", async () => {
    const err = await failure(openSafe(`${fixture.origin}/redirect-private`, options));
    expect(err).toBeInstanceOf(BlockedUrlError);
    expect(err.message).toBe("refused: 10.1.2.3 is a private address");
  });

  it("refuses a redirect to the cloud metadata address", async () => {
    const err = await failure(openSafe(`${fixture.origin}/redirect-metadata`, options));
    expect(err).toEqual(new BlockedUrlError("refused: 169.254.169.254 is a link-local address"));
  });

  it("refuses a redirect to loopback on a port that is not allow-listed, without connecting", async () => {
    const err = await failure(openSafe(`${fixture.origin}/redirect-other-port`, options));
    expect(err).toEqual(new BlockedUrlError("refused: 127.0.0.1 is a loopback address"));
    expect(forbidden.connections()).toBe(0);
  });

  it("refuses a redirect to a host name that resolves to loopback, at DNS time", async () => {
    const err = await failure(openSafe(`${fixture.origin}/redirect-localhost`, options));
    expect(err).toBeInstanceOf(BlockedUrlError);
    expect(err.message).toMatch(/^refused: localhost resolves to (127\.0\.0\.1|::1), a loopback address$/);
    expect(forbidden.connections()).toBe(0);
  });

  it("refuses a redirect to a file:// URL", async () => {
    const err = await failure(openSafe(`${fixture.origin}/redirect-file`, options));
    expect(err).toEqual(new BlockedUrlError("refused: file:// URLs are not fetched (only http and https)"));
  });

  it("reports a redirect without a Location", async () => {
    const err = await failure(openSafe(`${fixture.origin}/redirect-no-location`, options));
    expect(err).toEqual(new HttpError(`HTTP 302 redirect without a Location from ${fixture.allowEntry}`, 302));
  });

  it.each([
    ["http://127.0.0.1:PORT/", "refused: 127.0.0.1 is a loopback address"],
    ["http://10.0.0.1/", "refused: 10.0.0.1 is a private address"],
    ["http://169.254.169.254/", "refused: 169.254.169.254 is a link-local address"],
    ["http://[::1]/", "refused: ::1 is a loopback address"],
    ["http://0x7f000001/", "refused: 127.0.0.1 is a loopback address"],
    ["file:///etc/passwd", "refused: file:// URLs are not fetched (only http and https)"],
    ["ftp://example.org/a.jpg", "refused: ftp:// URLs are not fetched (only http and https)"],
  ])("refuses %s before connecting", async (url, message) => {
    const err = await failure(openSafe(url.replace("PORT", String(forbidden.port)), options));
    expect(err).toEqual(new BlockedUrlError(message));
    expect(forbidden.connections()).toBe(0);
  });

  it("refuses a host name resolving to loopback (localhost) on the resolved address", async () => {
    const err = await failure(openSafe(`http://localhost:${forbidden.port}/image.png`, options));
    expect(err).toBeInstanceOf(BlockedUrlError);
    expect(err.message).toMatch(/^refused: localhost resolves to (127\.0\.0\.1|::1), a loopback address$/);
    expect(forbidden.connections()).toBe(0);
  });

  it("turns non-2xx answers into HttpError with status and Retry-After", async () => {
    const missing = await failure(openSafe(`${fixture.origin}/missing`, options));
    expect(missing).toEqual(new HttpError(`HTTP 404 from ${fixture.allowEntry}`, 404));
    expect((missing as HttpError).status).toBe(404);
    expect((missing as HttpError).retryAfterMs).toBeUndefined();

    const limited = (await failure(openSafe(`${fixture.origin}/rate-limited`, options))) as HttpError;
    expect(limited.message).toBe(`HTTP 429 from ${fixture.allowEntry}`);
    expect(limited.status).toBe(429);
    expect(limited.retryAfterMs).toBe(30_000);

    const dated = (await failure(openSafe(`${fixture.origin}/rate-limited-date`, options))) as HttpError;
    expect(dated.status).toBe(503);
    expect(dated.retryAfterMs).toBeGreaterThan(60_000);
    expect(dated.retryAfterMs).toBeLessThanOrEqual(120_000);
  });

  it("refuses a declared Content-Length over the cap before reading", async () => {
    const err = await failure(openSafe(`${fixture.origin}/large`, { ...options, maxBytes: 64 * 1024 }));
    expect(err).toBeInstanceOf(ResponseTooLargeError);
    expect(err).toBeInstanceOf(HttpError);
    expect(err.message).toBe(`response from ${fixture.allowEntry} is 256 KB, over the 64 KB limit`);
  });

  it("stops a chunked body without Content-Length once it passes the cap", async () => {
    const response = await openSafe(`${fixture.origin}/large-chunked`, { ...options, maxBytes: 64 * 1024 });
    expect(response.contentLength).toBeUndefined();
    const err = await failure(readAll(response.body));
    expect(err).toBeInstanceOf(ResponseTooLargeError);
    expect(err.message).toBe(`response from ${fixture.allowEntry} is over the 64 KB limit`);
  });

  it("reads a body exactly at the cap", async () => {
    const response = await openSafe(`${fixture.origin}/large-chunked`, { ...options, maxBytes: LARGE_BODY_BYTES });
    expect((await readAll(response.body)).length).toBe(LARGE_BODY_BYTES);
  });

  it("ends a stalled body with the idle timeout", async () => {
    const response = await openSafe(`${fixture.origin}/stall`, { ...options, idleTimeoutMs: 300 });
    const err = await failure(readAll(response.body));
    expect(err).toBeInstanceOf(HttpError);
    expect(err.message).toBe(`no response from ${fixture.allowEntry} for 0.3 s`);
  });

  it("ends a stalled body with the total timeout", async () => {
    const response = await openSafe(`${fixture.origin}/stall`, { ...options, timeoutMs: 300 });
    const err = await failure(readAll(response.body));
    expect(err).toBeInstanceOf(HttpError);
    expect(err.message).toBe(`timed out after 0.3 s fetching from ${fixture.allowEntry}`);
  });

  it("surfaces the caller's own abort reason", async () => {
    const controller = new AbortController();
    const response = await openSafe(`${fixture.origin}/stall`, { ...options, signal: controller.signal });
    const reason = new Error("job cancelled");
    controller.abort(reason);
    expect(await failure(readAll(response.body))).toBe(reason);
    const before = new AbortController();
    before.abort(reason);
    expect(await failure(openSafe(`${fixture.origin}/image.png`, { ...options, signal: before.signal }))).toBe(reason);
  });

  it("reports a refused connection with the host", async () => {
    const closed = await startFixtureServer();
    const port = closed.port;
    await closed.close();
    const err = await failure(openSafe(`http://127.0.0.1:${port}/`, { ...options, allowHosts: [`127.0.0.1:${port}`] }));
    expect(err).toBeInstanceOf(HttpError);
    expect(err.message).toBe(`connection refused by 127.0.0.1:${port}`);
  });
});

describe("guarded agent", () => {
  it("refuses IP literals at connect time even when the URL check is bypassed", async () => {
    const agent = createGuardedAgent({ allowHosts: [], idleTimeoutMs: 5_000 });
    try {
      const err = await failure(request(`http://127.0.0.1:${forbidden.port}/image.png`, { dispatcher: agent }));
      expect(err).toEqual(new BlockedUrlError("refused: 127.0.0.1 is a loopback address"));
      const byName = await failure(request(`http://localhost:${forbidden.port}/image.png`, { dispatcher: agent }));
      expect(byName.message).toMatch(/^refused: localhost resolves to (127\.0\.0\.1|::1), a loopback address$/);
      expect(forbidden.connections()).toBe(0);
    } finally {
      await agent.close();
    }
  });

  it("connects to an allow-listed host:port", async () => {
    const agent = createGuardedAgent({ allowHosts: [fixture.allowEntry], idleTimeoutMs: 5_000 });
    try {
      const response = await request(`${fixture.origin}/image.png`, { dispatcher: agent });
      expect(response.statusCode).toBe(200);
      expect(Buffer.from(await response.body.arrayBuffer()).equals(fixture.png)).toBe(true);
    } finally {
      await agent.close();
    }
  });
});

describe("createHttpClient", () => {
  it("gets JSON and sends the User-Agent", async () => {
    const client = createHttpClient(options);
    expect(await client.getJson(`${fixture.origin}/api.json`)).toEqual({
      ok: true,
      items: [1, 2, 3],
      userAgent: "TrawlTest/1.0 (+https://example.org/trawl)",
      authorization: null,
    });
  });

  it("keeps credentials on same-origin redirects and drops them across origins", async () => {
    const client = createHttpClient({ ...options, allowHosts: [fixture.allowEntry, `localhost:${fixture.port}`] });
    const init = { headers: { Authorization: "Client-ID secret" } };
    expect(await client.getJson(`${fixture.origin}/redirect-same-origin`, init)).toMatchObject({ authorization: "Client-ID secret" });
    expect(await client.getJson(`${fixture.origin}/redirect-via-localhost`, init)).toMatchObject({ authorization: null });
  });

  it("rejects malformed JSON with a clear message", async () => {
    const client = createHttpClient(options);
    const err = await failure(client.getJson(`${fixture.origin}/bad.json`));
    expect(err).toBeInstanceOf(HttpError);
    expect(err.message).toBe(`malformed JSON from ${fixture.allowEntry}`);
  });

  it("gets text in its declared charset with the final URL", async () => {
    const client = createHttpClient(options);
    expect(await client.getText(`${fixture.origin}/latin1`)).toEqual({
      text: "<p>caf\u00e9</p>",
      url: `${fixture.origin}/latin1`,
      contentType: "text/html; charset=iso-8859-1",
    });
  });

  it("passes HTTP errors and refusals through", async () => {
    const client = createHttpClient(options);
    expect(await failure(client.getText(`${fixture.origin}/missing`))).toEqual(new HttpError(`HTTP 404 from ${fixture.allowEntry}`, 404));
    expect(await failure(client.getJson("http://169.254.169.254/latest/meta-data/"))).toEqual(
      new BlockedUrlError("refused: 169.254.169.254 is a link-local address"),
    );
  });

  it("caps text bodies by maxBytes", async () => {
    const client = createHttpClient({ ...options, maxBytes: 1024 });
    expect(await failure(client.getText(`${fixture.origin}/large-chunked`))).toBeInstanceOf(ResponseTooLargeError);
  });
});

describe("safeFetchOptionsFromConfig", () => {
  it("maps the fetch settings from the environment", () => {
    const cfg = loadConfig({
      TRAWL_FETCH_ALLOW_HOSTS: "MinIO.local:9000, 127.0.0.1:8080",
      TRAWL_USER_AGENT: "Custom/2",
      TRAWL_MAX_FILE_BYTES: "1000",
      TRAWL_FETCH_TIMEOUT_MS: "2000",
      TRAWL_FETCH_IDLE_TIMEOUT_MS: "3000",
    });
    expect(safeFetchOptionsFromConfig(cfg)).toEqual({
      allowHosts: ["minio.local:9000", "127.0.0.1:8080"],
      userAgent: "Custom/2",
      maxBytes: 1000,
      timeoutMs: 2000,
      idleTimeoutMs: 3000,
    });
  });
});
