import type { HttpClient } from "@/lib/download/http";

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

export interface SearchPage {
  items: SourceItem[];
  /** null when the source has no more results. */
  nextCursor: string | null;
}

export interface SourceContext {
  http: HttpClient;
  userAgent: string;
}

export interface SourceAdapter {
  id: string;
  name: string;
  description: string;
  homepage: string;
  category: SourceCategory;
  mediaTypes: MediaType[];
  /** "query": searches by text; "urls": works on the job's target URLs. */
  input: "query" | "urls";
  safeSearch: boolean;
  search(request: SearchRequest, context: SourceContext): Promise<SearchPage>;
}

/** A failure talking to a source, with a message fit for the dashboard. */
export class SourceError extends Error {
  constructor(
    message: string,
    readonly status?: number,
    readonly retryable = true,
  ) {
    super(message);
    this.name = "SourceError";
  }
}
