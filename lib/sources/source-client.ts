import type { z } from "zod";
import { HttpError } from "@/lib/net/http-client";
import { malformed, parseResponse, toSourceError } from "@/lib/sources/source-http";
import { SourceError, type SourceContext } from "@/lib/sources/types";

// A source's own client: its name in every error, its politeness gate (the context's http is
// already behind it), its base URL from configuration and its key. The family base
// (api-source.ts) makes one per search call and hands it to the adapter.

/** A record whose detail request found nothing (404/410) or whose detail is empty: dropped with this reason, the page goes on. */
export class RecordGone extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = "RecordGone";
  }
}

type Params = Record<string, string | number | boolean | null | undefined | readonly (string | number)[]>;

export interface RequestOptions {
  headers?: Record<string, string>;
  /** For a per-record detail request: a 404 or 410 drops only that record, with this reason ("no asset manifest"). */
  gone?: string;
  /** Statuses that mean the key was refused (key-gated sources; 401 and 403 unless told otherwise). */
  keyStatuses?: readonly number[];
}

export interface SourceClient {
  readonly name: string;
  /** The configured API base URL, without a trailing slash. */
  readonly base: string;
  /** The key, for key-gated sources (the base has checked it is set). */
  readonly key: string | undefined;
  readonly userAgent: string;
  /** base + path with the given query parameters (undefined and null ones left out, arrays repeated). */
  url(path: string, params?: Params): URL;
  json(url: string | URL, options?: RequestOptions): Promise<unknown>;
  text(url: string | URL, options?: RequestOptions): Promise<{ text: string; url: string; contentType: string }>;
  /** Parses an API payload; a mismatch fails the page as "<Source>: malformed response (missing data)". */
  parse<T extends z.ZodType>(schema: T, data: unknown): z.output<T>;
  /** Fails the search for a reason retrying cannot fix ("<Source>: <message>"). */
  refuse(message: string): never;
  malformed(detail: string): never;
}

export function withParams(url: URL, params: Params = {}) {
  for (const [name, value] of Object.entries(params)) {
    if (value === undefined || value === null) continue;
    if (Array.isArray(value)) for (const each of value) url.searchParams.append(name, String(each));
    else url.searchParams.set(name, String(value));
  }
  return url;
}

const DEFAULT_KEY_STATUSES = [401, 403] as const;

/**
 * Runs one request of the source and words its failure: a refused key (key-gated sources), a
 * record gone (detail requests with `gone`), or the transport's own failure as a SourceError.
 */
async function guarded<T>(name: string, keyed: boolean, options: RequestOptions, request: () => Promise<T>): Promise<T> {
  try {
    return await request();
  } catch (error) {
    const status = error instanceof HttpError ? error.status : undefined;
    if (options.gone !== undefined && (status === 404 || status === 410)) throw new RecordGone(`${options.gone} (${status})`);
    if (keyed && status !== undefined && (options.keyStatuses ?? DEFAULT_KEY_STATUSES).includes(status)) {
      throw new SourceError(`${name}: API key rejected (${status})`, status, false);
    }
    throw toSourceError(name, error);
  }
}

export function sourceClient(
  source: { name: string; key?: unknown },
  base: string,
  context: SourceContext,
  key: string | undefined,
): SourceClient {
  const { name } = source;
  return {
    name,
    base,
    key,
    userAgent: context.userAgent,
    url: (path, params) => withParams(new URL(`${base}${path}`), params),
    json: (url, options = {}) =>
      guarded(name, Boolean(source.key), options, () =>
        context.http.getJson(String(url), options.headers ? { headers: options.headers } : undefined),
      ),
    text: (url, options = {}) =>
      guarded(name, Boolean(source.key), options, () =>
        context.http.getText(String(url), options.headers ? { headers: options.headers } : undefined),
      ),
    parse: (schema, data) => parseResponse(name, schema, data),
    refuse: (message) => {
      throw new SourceError(`${name}: ${message}`, undefined, false);
    },
    malformed: (detail) => malformed(name, detail),
  };
}
