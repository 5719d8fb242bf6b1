import { z } from "zod";
import { defineApiSource, drop, type RecordResult } from "@/lib/sources/api-source";
import { mediaTypeFromExtension } from "@/lib/sources/media-kinds";
import { licenseNameFromUrl } from "@/lib/sources/museum-support";
import type { SourceClient } from "@/lib/sources/source-client";
import type { MediaType, SearchRequest, SourceAdapter } from "@/lib/sources/types";

// Internet Archive: Advanced Search (https://archive.org/advancedsearch.php, output=json, as in
// jjjake's archive.org API guide and the internetarchive clients) finds items, the Metadata API
// (GET /metadata/{identifier}) lists each item's files with name, source (original or
// derivative), format, size, md5 and sha1, and files download from /download/{identifier}/{name}.
// Each file's size, md5 and sha1 go on the item, and the downloader verifies them. No request rate
// is published. Each search result is handled on its own (the family base, api-source.ts), and
// costs a metadata request, so metadata is read two at a time and only as much as the limit needs.
// A result that fails its schema, whose metadata answers 404 or 410, or {} (dark or gone), or
// lists no file of its kind that Trawl stores (PDF scans, zips, audio, AVI/MPEG-2 originals are
// left out by extension) is dropped with its reason and the rest of the page kept; other failures
// (5xx, 429, network) and metadata that is not a files list still fail the page, for the engine
// to retry. Only the first 10,000 results are served (page 200 of 50). Recorded responses from
// jjjake's internetarchive client (tests/data) back the tests: see
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
type Doc = z.infer<typeof docSchema>;

/** Docs are checked one by one, so one malformed result does not fail the page. */
const searchSchema = z.object({
  response: z.object({ numFound: z.number(), start: z.number(), docs: z.array(z.unknown()) }),
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
type ArchiveFile = z.infer<typeof fileSchema>;

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
function isThumbnail(file: ArchiveFile) {
  return /thumb/i.test(file.name) || /^(Item Tile|Thumbnail|JPEG Thumb)$/i.test(file.format ?? "");
}

function fileType(file: ArchiveFile): MediaType | undefined {
  const ext = /\.([a-z0-9]+)$/i.exec(file.name)?.[1];
  return ext ? mediaTypeFromExtension(`https://archive.invalid/file.${ext}`) : undefined;
}

/** The item's main file of the wanted type: the largest original, else the largest derivative. */
export function pickFile(files: ArchiveFile[], type: MediaType) {
  const usable = files.filter((file) => fileType(file) === type && !isThumbnail(file));
  const bySize = (a: ArchiveFile, b: ArchiveFile) => Number(b.size ?? 0) - Number(a.size ?? 0);
  const originals = usable.filter((file) => file.source === "original").sort(bySize);
  return originals[0] ?? usable.sort(bySize)[0];
}

function downloadUrl(base: string, identifier: string, name: string) {
  return `${base}/download/${encodeURIComponent(identifier)}/${name.split("/").map(encodeURIComponent).join("/")}`;
}

/** One search result -> its item, read from the item's metadata. */
async function toItem(doc: Doc, client: SourceClient): Promise<RecordResult> {
  const remoteId = doc.identifier;
  const type: MediaType | undefined = doc.mediatype === "image" ? "image" : doc.mediatype === "movies" ? "video" : undefined;
  if (!type) return drop(remoteId, `a ${doc.mediatype ?? "typeless"} item, not an image or film`);
  const body = await client.json(`${client.base}/metadata/${encodeURIComponent(remoteId)}`, { gone: "the archive has no metadata for it" });
  const metadata = client.parse(metadataSchema, body);
  if (!metadata.files?.length) return drop(remoteId, "the archive's metadata for it is empty (dark or removed)");
  const file = pickFile(metadata.files, type);
  if (!file) return drop(remoteId, `it has no ${type === "image" ? "image" : "video"} file`);
  const licenseUrl = first(doc.licenseurl);
  return {
    remoteId,
    mediaType: type,
    mediaUrl: downloadUrl(client.base, remoteId, file.name),
    thumbnailUrl: `${client.base}/services/img/${encodeURIComponent(remoteId)}`,
    pageUrl: `https://archive.org/details/${encodeURIComponent(remoteId)}`,
    title: first(doc.title),
    author: first(doc.creator),
    license: licenseUrl ? licenseNameFromUrl(licenseUrl) : undefined,
    licenseUrl,
    expectedBytes: file.size != null && Number(file.size) > 0 ? Number(file.size) : undefined,
    md5: file.md5?.toLowerCase() ?? undefined,
    sha1: file.sha1?.toLowerCase() ?? undefined,
  };
}

function identifierOf(raw: unknown) {
  const id = (raw as { identifier?: unknown } | null)?.identifier;
  return typeof id === "string" ? id : undefined;
}

export function createInternetArchive(options: { id: string; name: string; apiUrl: string | (() => string) }): SourceAdapter {
  return defineApiSource({
    entry: {
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
    },
    apiUrl: options.apiUrl,
    query: "text",
    firstPage: 1,
    maxPage: RESULT_WINDOW / ROWS,
    // Each result costs a metadata request, so only as many are read as the limit needs.
    recordConcurrency: METADATA_CONCURRENCY,
    async fetchPage({ client, request, query, page }) {
      const url = client.url("/advancedsearch.php", {
        q: `(${query}) AND ${mediaFilter(request)}`,
        "fl[]": ["identifier", "title", "creator", "mediatype", "licenseurl"],
        rows: ROWS,
        page,
        output: "json",
      });
      const found = client.parse(searchSchema, await client.json(url)).response;
      const more = found.start + found.docs.length < found.numFound;
      return { records: found.docs, next: more ? page + 1 : null };
    },
    record: docSchema,
    recordIdOf: identifierOf,
    toItems: (doc, { client }) => toItem(doc, client),
  });
}
