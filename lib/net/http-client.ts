// The interface sources use to talk to remote APIs and pages. The implementation
// (lib/net/safe-fetch.ts) applies the SSRF guard, size and time caps to every call.
export interface HttpClient {
  /** GET a JSON document; throws HttpError on non-2xx, on a body over the cap, or on bad JSON. */
  getJson(url: string, init?: { headers?: Record<string, string> }): Promise<unknown>;
  /** GET a text document (HTML, XML); returns the final URL after redirects too. */
  getText(url: string, init?: { headers?: Record<string, string> }): Promise<{ text: string; url: string; contentType: string }>;
}

export class HttpError extends Error {
  constructor(
    message: string,
    readonly status?: number,
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = "HttpError";
  }
}

/** The fetch refused the target before connecting (SSRF guard, scheme, bad URL). */
export class BlockedUrlError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "BlockedUrlError";
  }
}
