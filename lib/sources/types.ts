import type { HttpClient } from "@/lib/net/http-client";

export type MediaType = "image" | "video";
/** What the user asked for on the job. */
export type MediaFilter = "images" | "videos" | "both";

export type SourceCategory = "generic" | "wikis" | "museums" | "stock" | "video" | "social" | "boorus";

/** A discovered media candidate, normalized across sources. */
export interface SourceItem {
  /** Stable id of the media within the source (used for idempotent upserts). */
  remoteId: string;
  mediaType: MediaType;
  mediaUrl: string;
  pageUrl?: string;
  thumbnailUrl?: string;
  title?: string;
  author?: string;
  license?: string;
  licenseUrl?: string;
  /** What the source says the file is, checked after download when given. */
  expectedBytes?: number;
  md5?: string;
  sha1?: string;
  /** A URL the source wants called once the file is downloaded (Unsplash's terms). */
  trackingUrl?: string;
}

export interface SearchRequest {
  query: string;
  /** Page or file URLs, for URL-based sources (web page, direct links). */
  targetUrls: string[];
  mediaTypes: MediaFilter;
  safeSearch: boolean;
  /** Most items this call should return (the rest of the job's cap). */
  limit: number;
  /** Opaque cursor returned by the previous page; null for the first page. */
  cursor: string | null;
}

/** A record an API returned that did not become an item, and why: nothing is left out silently. */
export interface DroppedRecord {
  /** The record's id at the source, when it has one. */
  remoteId?: string;
  /** Why, for the job's log: "no direct media file (a gfycat link)", "HEIC, which Trawl cannot store". */
  reason: string;
}

export interface SearchPage {
  items: SourceItem[];
  /** null when the source has no more results. */
  nextCursor: string | null;
  /** Records of this page that were left out, each with its reason (the job's log counts them by reason). */
  dropped?: DroppedRecord[];
}

export interface SourceContext {
  /** Rate-limited per the source's politeness, SSRF-guarded, size- and time-capped. */
  http: HttpClient;
  userAgent: string;
  /** The API key, for sources that declare one (checked present before search is called). */
  key?: string;
}

/** An API key a source needs; set as TRAWL_KEY_<setting> (setting defaults to the source id). */
export interface SourceKeySpec {
  /** What the key is, e.g. "Pexels API key". */
  label: string;
  /** Where to get one. */
  help: string;
  /** Settings suffix shared by several entries, e.g. "GELBOORU"; defaults to the source id. */
  setting?: string;
}

/** How hard a source may be hit, across all jobs. */
export interface Politeness {
  requestsPerSecond: number;
  /** Requests in flight at once. */
  concurrency: number;
}

export interface SourceAdapter {
  /** Catalog entry id, unique (e.g. "wikipedia-de"). */
  id: string;
  /** The adapter module behind the entry; several entries can share one (e.g. "mediawiki"). */
  adapter: string;
  name: string;
  description: string;
  homepage: string;
  category: SourceCategory;
  mediaTypes: MediaType[];
  /** "query": searches by text; "urls": works on the job's target URLs. */
  input: "query" | "urls";
  safeSearch: boolean;
  key?: SourceKeySpec;
  politeness: Politeness;
  search(request: SearchRequest, context: SourceContext): Promise<SearchPage>;
  /** Called after an item with a trackingUrl is stored, for sources whose terms ask for it. */
  reportDownload?(trackingUrl: string, context: SourceContext): Promise<void>;
}

/** A failure talking to a source, with a message fit for the dashboard. */
export class SourceError extends Error {
  constructor(
    message: string,
    readonly status?: number,
    readonly retryable = true,
    /** The remote asked us to wait this long (Retry-After on 429/503). */
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = "SourceError";
  }
}
