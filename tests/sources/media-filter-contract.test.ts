import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sourceSettingSuffix } from "@/lib/config";
import { sources } from "@/lib/sources/registry";
import type { MediaFilter, MediaType, SourceAdapter } from "@/lib/sources/types";
import { expectEmpty, searchRequest } from "@/tests/support/source-test-kit";
import { startSourceTestServer, type SourceTestServer } from "@/tests/support/source-test-server";

// The media filter, for every entry of the catalog from one table: a job that asks only for a
// media type the entry does not have (videos of an image-only source, images of a video-only one)
// finishes at once, with no items, no next page and no request. The entries are pointed at one
// local server by TRAWL_URL_<SOURCE>, which counts the requests (and would answer any with a 500).

const FILTERS: [MediaFilter, MediaType][] = [
  ["videos", "video"],
  ["images", "image"],
];

/** The adapter modules without videos, and those without images (a change to either is a change to this contract). */
const IMAGE_ONLY = [
  "artic",
  "cleveland",
  "dpla",
  "flickr",
  "gbif",
  "inaturalist",
  "loc",
  "mediawiki",
  "met",
  "moebooru",
  "openverse",
  "rijksmuseum",
  "smithsonian",
  "unsplash",
  "wellcome",
];
const VIDEO_ONLY = ["peertube"];

/** A key of the shape the strictest adapter wants (Gelbooru: "<user id>:<api key>"). */
const KEY = "1234:test-key";

let server: SourceTestServer;

beforeAll(async () => {
  server = await startSourceTestServer(() => ({ status: 500, body: { error: "asked" } }));
  // Read by config() on the first search; nothing has read the configuration before.
  for (const source of sources) process.env[`TRAWL_URL_${sourceSettingSuffix(source.id)}`] = server.origin;
});

afterAll(() => server.close());

const rows = FILTERS.flatMap(([filter, type]) =>
  sources.filter((source) => !source.mediaTypes.includes(type)).map((source) => [filter, source.id, source] as const),
);

describe("the media filter of every catalog entry", () => {
  it("has a row for every image-only and every video-only adapter", () => {
    const adaptersOf = (wanted: MediaFilter) => new Set(rows.filter(([filter]) => filter === wanted).map(([, , source]) => source.adapter));
    expect([...adaptersOf("videos")].sort()).toEqual(IMAGE_ONLY);
    expect([...adaptersOf("images")].sort()).toEqual(VIDEO_ONLY);
  });

  it.each(rows)("a %s-only job asks %s nothing", async (filter, _id, source: SourceAdapter) => {
    const before = server.requests.length;
    const request = searchRequest({ mediaTypes: filter, safeSearch: false, targetUrls: [`${server.origin}/page`] });
    await expectEmpty(source.search(request, { ...server.context, key: KEY }));
    expect(server.requests.length - before).toBe(0);
  });
});
