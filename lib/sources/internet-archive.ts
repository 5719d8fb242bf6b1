import { z } from "zod";
import { HttpError } from "@/lib/net/http-client";
import { mediaTypeFromExtension } from "@/lib/sources/media-kinds";
import { licenseNameFromUrl, resolveBase } from "@/lib/sources/museum-support";
import { formatPositionCursor, parsePositionCursor } from "@/lib/sources/position-cursor";
import { fetchJson, parseResponse, requireQuery, toSourceError } from "@/lib/sources/source-http";
import { SourceError } from "@/lib/sources/types";
import type { DroppedRecord, MediaType, SearchPage, SearchRequest, SourceAdapter, SourceContext, SourceItem } from "@/lib/sources/types";

// Internet Archive: Advanced Search (https://archive.org/advancedsearch.php, output=json, as in
// jjjake's archive.org API guide and the internetarchive clients) finds items, the Metadata API
// (GET /metadata/{identifier}) lists each item's files with name, source (original or
// derivative), format, size, md5 and sha1, and files download from /download/{identifier}/{name}.
// Each file's size, md5 and sha1 go on the item, and the downloader verifies them. No request rate
// is published. An item whose metadata answers 404, or {} (dark or gone), or lists no file of
// its kind is dropped with its reason and the rest of the page kept; other failures (5xx, 429,
// network) still fail the page, for the engine to retry. Recorded responses from jjjake's
// internetarchive client (tests/data) back the tests: see
// tests/fixtures/sources/internet-archive-recorded.provenance.md.

const ROWS = 50;
const RESULT_WINDOW = 10_000;
const METADATA_CONCURRENCY = 2;

const docSchema = z.object({
  identifier: z.string(),
  title: z.union([z.string(), z.array(z.string())]).nullish(),
  creator: z.union([z.string(), z.array(z.string())]).nullish(),
  mediatype: z.string().nullish(),
  licenseurl: z.union([z.string(), z.array(z.string())]).nullish(),
});

const searchSchema = z.object({
  response: z.object({ numFound: z.number(), start: z.number(), docs: z.array(docSchema) }),
});

const fileSchema = z.object({
  name: z.string(),
  source: z.string().nullish(),
  format: z.string().nullish(),
  size: z.union([z.string(), z.number()]).nullish(),
  md5: z
    .string()
    .regex(/^[0-9a-f]{32}$/i)
    .nullish(),
  sha1: z
    .string()
    .regex(/^[0-9a-f]{40}$/i)
    .nullish(),
});

// An identifier that is dark or gone answers {} rather than an error.
const metadataSchema = z.object({ files: z.array(fileSchema).optional() });

function first(value: string | string[] | null | undefined) {
  return (Array.isArray(value) ? value[0] : value) || undefined;
}

function mediaFilter(request: SearchRequest) {
  return request.mediaTypes === "images"
    ? "mediatype:(image)"
    : request.mediaTypes === "videos"
      ? "mediatype:(movies)"
      : "mediatype:(image OR movies)";
}

/** Thumbnails and tiles the Archive derives for its own pages, not media of the item. */
function isThumbnail(file: z.infer<typeof fileSchema>) {
  return /thumb/i.test(file.name) || /^(Item Tile|Thumbnail|JPEG Thumb)$/i.test(file.format ?? "");
}

function fileType(file: z.infer<typeof fileSchema>): MediaType | undefined {
  const ext = /\.([a-z0-9]+)$/i.exec(file.name)?.[1];
  return ext ? mediaTypeFromExtension(`https://archive.invalid/file.${ext}`) : undefined;
}

/** The item's main file of the wanted type: the largest original, else the largest derivative. */
export function pickFile(files: z.infer<typeof fileSchema>[], type: MediaType) {
  const usable = files.filter((file) => fileType(file) === type && !isThumbnail(file));
  const bySize = (a: z.infer<typeof fileSchema>, b: z.infer<typeof fileSchema>) => Number(b.size ?? 0) - Number(a.size ?? 0);
  const originals = usable.filter((file) => file.source === "original").sort(bySize);
  return originals[0] ?? usable.sort(bySize)[0];
}

function downloadUrl(base: string, identifier: string, name: string) {
  return `${base}/download/${encodeURIComponent(identifier)}/${name.split("/").map(encodeURIComponent).join("/")}`;
}

type Resolved = { item: SourceItem } | { dropped: DroppedRecord };

export function createInternetArchive(options: { id: string; name: string; apiUrl: string | (() => string) }): SourceAdapter {
  /** The item's metadata, or null when the Archive has none for the identifier (404). */
  async function fetchMetadata(context: SourceContext, base: string, identifier: string) {
    let body: unknown;
    try {
      body = await context.http.getJson(`${base}/metadata/${encodeURIComponent(identifier)}`);
    } catch (error) {
      if (error instanceof HttpError && error.status === 404) return null;
      throw toSourceError(options.name, error);
    }
    return parseResponse(options.name, metadataSchema, body);
  }

  async function resolve(context: SourceContext, base: string, doc: z.infer<typeof docSchema>): Promise<Resolved> {
    const remoteId = doc.identifier;
    const type: MediaType | undefined = doc.mediatype === "image" ? "image" : doc.mediatype === "movies" ? "video" : undefined;
    if (!type) return { dropped: { remoteId, reason: `a ${doc.mediatype ?? "typeless"} item, not an image or film` } };
    const metadata = await fetchMetadata(context, base, remoteId);
    if (!metadata) return { dropped: { remoteId, reason: "the archive has no metadata for it (404)" } };
    if (!metadata.files?.length) return { dropped: { remoteId, reason: "the archive's metadata for it is empty (dark or removed)" } };
    const file = pickFile(metadata.files, type);
    if (!file) return { dropped: { remoteId, reason: `it has no ${type === "image" ? "image" : "video"} file` } };
    const licenseUrl = first(doc.licenseurl);
    return {
      item: {
        remoteId,
        mediaType: type,
        mediaUrl: downloadUrl(base, remoteId, file.name),
        thumbnailUrl: `${base}/services/img/${encodeURIComponent(remoteId)}`,
        pageUrl: `https://archive.org/details/${encodeURIComponent(remoteId)}`,
        title: first(doc.title),
        author: first(doc.creator),
        license: licenseUrl ? licenseNameFromUrl(licenseUrl) : undefined,
        licenseUrl,
        expectedBytes: file.size != null && Number(file.size) > 0 ? Number(file.size) : undefined,
        md5: file.md5?.toLowerCase() ?? undefined,
        sha1: file.sha1?.toLowerCase() ?? undefined,
      },
    };
  }

  /** The cursor is "<page>" or "<page>:<search results already handled>". */
  async function search(request: SearchRequest, context: SourceContext): Promise<SearchPage> {
    const query = requireQuery(options.name, request);
    const at = parsePositionCursor(options.name, request.cursor, 1);
    if (at.index < 1 || at.index * ROWS > RESULT_WINDOW)
      throw new SourceError(`${options.name}: invalid cursor "${request.cursor}"`, undefined, false);
    if (request.limit < 1) return { items: [], nextCursor: formatPositionCursor(at) };

    const base = resolveBase(options.apiUrl);
    const url = new URL(`${base}/advancedsearch.php`);
    url.searchParams.set("q", `(${query}) AND ${mediaFilter(request)}`);
    for (const field of ["identifier", "title", "creator", "mediatype", "licenseurl"]) url.searchParams.append("fl[]", field);
    url.searchParams.set("rows", String(ROWS));
    url.searchParams.set("page", String(at.index));
    url.searchParams.set("output", "json");
    const found = parseResponse(options.name, searchSchema, await fetchJson(options.name, context.http, url.href)).response;

    // Each result costs a metadata request, so only as many are read as the limit needs.
    const items: SourceItem[] = [];
    const dropped: DroppedRecord[] = [];
    let handled = at.skip;
    while (handled < found.docs.length && items.length < request.limit) {
      const chunk = found.docs.slice(handled, handled + Math.min(METADATA_CONCURRENCY, request.limit - items.length));
      const resolved = await Promise.all(chunk.map((doc) => resolve(context, base, doc)));
      handled += chunk.length;
      for (const outcome of resolved) {
        if ("item" in outcome) items.push(outcome.item);
        else dropped.push(outcome.dropped);
      }
    }

    const hasMore = found.docs.length > 0 && found.start + found.docs.length < found.numFound && at.index * ROWS < RESULT_WINDOW;
    const next = handled < found.docs.length ? { index: at.index, skip: handled } : hasMore ? { index: at.index + 1, skip: 0 } : null;
    return { items, nextCursor: next ? formatPositionCursor(next) : null, ...(dropped.length > 0 ? { dropped } : {}) };
  }

  return {
    id: options.id,
    adapter: "internet-archive",
    name: options.name,
    description: "Images and films from the Internet Archive, downloaded as the items' original files.",
    homepage: "https://archive.org/",
    category: "museums",
    mediaTypes: ["image", "video"],
    input: "query",
    safeSearch: false,
    // No published rate: stay gentle.
    politeness: { requestsPerSecond: 2, concurrency: METADATA_CONCURRENCY },
    search,
  };
}
