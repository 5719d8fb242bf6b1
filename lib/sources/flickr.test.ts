import { describe, expect, it } from "vitest";
import { createFlickr } from "@/lib/sources/flickr";
import { fixtureJson, type FixtureHandler } from "@/tests/support/source-test-server";
import {
  adapterPerTest,
  expectEmpty,
  expectRequest,
  expectSourceError,
  repliesBy,
  searchRequest,
  walkPages,
} from "@/tests/support/source-test-kit";

const KEY = "0f6d2b8a1c3e5f7a9b0c2d4e6f8a0b1c";
const REST_PATH = "/services/rest/";

/** Answers like api.flickr.com: "aurora" has 6 photos on 2 pages, one without any size URL. */
const flickrApi: FixtureHandler = ({ path, params }) => {
  if (path !== REST_PATH) return undefined;
  if (params.get("api_key") !== KEY) return { body: fixtureJson("flickr-error-key.json") };
  if (params.get("text") !== "aurora") return { body: { photos: { page: 1, pages: 0, perpage: 100, total: 0, photo: [] }, stat: "ok" } };
  return { body: fixtureJson(params.get("page") === "2" ? "flickr-search-page2.json" : "flickr-search-page1.json") };
};

const flickrWith = adapterPerTest((server) => {
  server.context.key = KEY;
  return createFlickr({ id: "flickr", name: "Flickr", apiUrl: `${server.origin}/services/rest` });
});

describe("Flickr adapter", () => {
  it("calls flickr.photos.search with the documented parameters and normalizes the photos", async () => {
    const { source, server } = await flickrWith(flickrApi);
    const page = await source.search(searchRequest(), server.context);

    expectRequest(server, {
      path: REST_PATH,
      params: {
        method: "flickr.photos.search",
        api_key: KEY,
        text: "aurora",
        sort: "relevance",
        media: "photos",
        extras: "owner_name,license,url_o,url_6k,url_5k,url_4k,url_3k,url_k,url_h,url_l,url_c,url_z,url_m,url_n",
        safe_search: "1",
        per_page: "100",
        page: "1",
        format: "json",
        nojsoncallback: "1",
      },
    });

    expect(page.items).toEqual([
      {
        remoteId: "52581284912",
        mediaType: "image",
        mediaUrl: "https://live.staticflickr.com/65535/52581284912_9a8b7c6d5e_o.jpg",
        thumbnailUrl: "https://live.staticflickr.com/65535/52581284912_5d47a3b1c2_n.jpg",
        pageUrl: "https://www.flickr.com/photos/45457437@N00/52581284912/",
        title: "Aurora over Kirkjufell",
        author: "Jonas Björk",
        license: "CC BY 2.0",
        licenseUrl: "https://creativecommons.org/licenses/by/2.0/",
      },
      {
        // No url_o (originals not shared): the large size; an empty title stays undefined.
        remoteId: "49305231617",
        mediaType: "image",
        mediaUrl: "https://live.staticflickr.com/65535/49305231617_0a1b2c3d4e_b.jpg",
        thumbnailUrl: "https://live.staticflickr.com/65535/49305231617_0a1b2c3d4e_n.jpg",
        pageUrl: "https://www.flickr.com/photos/134252390@N05/49305231617/",
        title: undefined,
        author: "nightskyhunter",
        license: "All Rights Reserved",
        licenseUrl: undefined,
      },
      expect.objectContaining({
        remoteId: "8378292115",
        license: "No known copyright restrictions",
        licenseUrl: "https://www.flickr.com/commons/usage/",
      }),
    ]);
    // One phase: the cursor is the page alone.
    expect(page.nextCursor).toBe("2");
    expect(page.dropped).toBeUndefined();
  });

  it("takes the largest size of each photo in a recorded response, url_m included, and drops none", async () => {
    // Recorded by Openverse (tests/fixtures/sources/flickr-openverse-search.provenance.md): 30 photos, asked with
    // extras url_t,url_s,url_m,url_l; 28 have url_l, 2 only url_m (which the old extras never asked for).
    type RecordedPhoto = Record<string, unknown> & { id: string };
    const recorded = fixtureJson<{ photos: { photo: RecordedPhoto[] } }>("flickr-openverse-search.json");
    const { source, server } = await flickrWith(({ path }) => (path === REST_PATH ? { body: recorded } : undefined));
    const page = await source.search(searchRequest(), server.context);

    const photos = recorded.photos.photo;
    const largest = (photo: RecordedPhoto) =>
      ["url_o", "url_6k", "url_5k", "url_4k", "url_3k", "url_k", "url_h", "url_l", "url_c", "url_z", "url_m", "url_n"].find(
        (key) => photo[key],
      );
    const oldSizes = photos.filter((photo) => ["url_o", "url_l", "url_z", "url_n"].some((key) => photo[key]));
    expect([photos.length, oldSizes.length]).toEqual([30, 28]);
    expect([page.items.length, page.dropped]).toEqual([30, undefined]);
    expect(page.items.map((item) => item.remoteId)).toEqual(photos.map((photo) => photo.id));
    expect(page.items.map((item) => item.mediaUrl)).toEqual(photos.map((photo) => photo[largest(photo) ?? ""]));

    const bySize = page.items.map((item) =>
      /_b\.jpg$/.test(item.mediaUrl) ? "l" : /\/\d+_[0-9a-f]+\.jpg$/.test(item.mediaUrl) ? "m" : "?",
    );
    expect(bySize.filter((size) => size === "l")).toHaveLength(28);
    expect(page.items.filter((_, i) => bySize[i] === "m").map((item) => [item.remoteId, item.mediaUrl, item.thumbnailUrl])).toEqual([
      [
        "49515058172",
        "https://live.staticflickr.com/65535/49515058172_e52c8df29f.jpg",
        "https://live.staticflickr.com/65535/49515058172_e52c8df29f.jpg",
      ],
      [
        "49514301123",
        "https://live.staticflickr.com/65535/49514301123_11ff9b347b.jpg",
        "https://live.staticflickr.com/65535/49514301123_11ff9b347b.jpg",
      ],
    ]);
    expect(page.items[0]).toEqual({
      remoteId: "49514337848",
      mediaType: "image",
      mediaUrl: "https://live.staticflickr.com/65535/49514337848_bbdbb5f761_b.jpg",
      thumbnailUrl: "https://live.staticflickr.com/65535/49514337848_bbdbb5f761.jpg",
      pageUrl: "https://www.flickr.com/photos/7478087@N06/49514337848/",
      title: "Warsy (église) • 7433",
      author: "markustrois",
      license: "CC BY-NC-SA 2.0",
      licenseUrl: "https://creativecommons.org/licenses/by-nc-sa/2.0/",
    });
    expect(page.nextCursor).toBeNull();
  });

  it("prefers url_o, then url_6k, url_5k, url_4k, url_3k, url_k (2048), url_h (1600), url_l, url_c, url_z, url_m and url_n", async () => {
    const base = "https://live.staticflickr.com/65535/";
    const photo = (id: string, sizes: string[]) => ({
      id,
      owner: "45457437@N00",
      title: id,
      license: "4",
      ownername: "someone",
      ...Object.fromEntries(sizes.map((size) => [`url_${size}`, `${base}${id}_abc_${size}.jpg`])),
    });
    const body = {
      stat: "ok",
      photos: {
        page: 1,
        pages: 1,
        perpage: 100,
        total: 12,
        photo: [
          photo("o", ["o", "6k", "5k", "4k", "3k", "k", "h", "l", "c", "z", "m", "n"]),
          // The X-Large sizes, which owners without original downloads may still offer, beat url_k.
          photo("6k", ["6k", "5k", "4k", "3k", "k", "h", "l"]),
          photo("5k", ["5k", "4k", "3k", "k", "h"]),
          photo("4k", ["4k", "3k", "k", "h", "l", "z"]),
          photo("3k", ["3k", "k", "h", "l"]),
          photo("k", ["k", "h", "l", "c", "z", "m", "n"]),
          photo("h", ["h", "l", "z", "n"]),
          photo("l", ["l", "c", "z"]),
          photo("c", ["c", "z", "m", "n"]),
          photo("z", ["z", "m"]),
          photo("m", ["m", "n"]),
          photo("n", ["n"]),
        ],
      },
    };
    const { source, server } = await flickrWith(({ path }) => (path === REST_PATH ? { body } : undefined));
    const page = await source.search(searchRequest(), server.context);
    expect(page.items.map((item) => [item.remoteId, item.mediaUrl.slice(base.length)])).toEqual(
      ["o", "6k", "5k", "4k", "3k", "k", "h", "l", "c", "z", "m", "n"].map((size) => [size, `${size}_abc_${size}.jpg`]),
    );
    expect(page.dropped).toBeUndefined();
  });

  it("maps safe search off to safe_search=3", async () => {
    const { source, server } = await flickrWith(flickrApi);
    await source.search(searchRequest({ safeSearch: false }), server.context);
    expect(server.requests[0].params.get("safe_search")).toBe("3");
  });

  it("stops at the last page, skipping photos without any size URL and naming the CC 4.0 licenses (ids 11-16)", async () => {
    const { source, server } = await flickrWith(flickrApi);
    const last = await source.search(searchRequest({ cursor: "2" }), server.context);
    expect(server.requests[0].params.get("page")).toBe("2");
    expect(last.items.map((i) => [i.remoteId, i.mediaUrl, i.license, i.licenseUrl])).toEqual([
      [
        "53310954372",
        "https://live.staticflickr.com/65535/53310954372_c0ffee1234_b.jpg",
        "CC0 1.0",
        "https://creativecommons.org/publicdomain/zero/1.0/",
      ],
      // license 14 is CC BY-NC 4.0 (flickr.photos.licenses.getInfo lists ids 11-16 for the 4.0 licenses)
      [
        "54011223344",
        "https://live.staticflickr.com/65535/54011223344_abcabcabca_z.jpg",
        "CC BY-NC 4.0",
        "https://creativecommons.org/licenses/by-nc/4.0/",
      ],
    ]);
    expect(last.dropped).toEqual([
      {
        remoteId: "54011223399",
        reason: "no image URL (none of url_o, url_6k, url_5k, url_4k, url_3k, url_k, url_h, url_l, url_c, url_z, url_m, url_n)",
      },
    ]);
    expect(last.nextCursor).toBeNull();
  });

  it("stops at the limit and resumes inside the page without losing results", async () => {
    const { source, server } = await flickrWith(flickrApi);
    const { ids, cursors, dropped } = await walkPages(source, searchRequest({ limit: 2 }), server.context);
    // The cursor's skip counts the photos handled: the limit is reached after the first two of page 2, and the
    // third (without any size) is reached, and reported, by the call after.
    expect(cursors).toEqual(["1:2", "2", "2:2", null]);
    expect(ids).toEqual(["52581284912", "49305231617", "8378292115", "53310954372", "54011223344"]);
    expect(dropped.flat().map((d) => d.remoteId)).toEqual(["54011223399"]);
  });

  it("finishes on no results", async () => {
    const { source, server } = await flickrWith(flickrApi);
    await expectEmpty(source.search(searchRequest({ query: "qqqzzz", mediaTypes: "both" }), server.context));
  });

  it("reports a rejected key (stat=fail code 100) and refuses to search without one", async () => {
    const { source, server } = await flickrWith(flickrApi);
    const rejected = await expectSourceError(
      source.search(searchRequest(), { ...server.context, key: "not-a-key" }),
      /^Flickr: API key rejected \(Invalid API Key \(Key has invalid format\)\)$/,
    );
    expect(rejected.retryable).toBe(false);
    await expectSourceError(source.search(searchRequest(), { ...server.context, key: undefined }), /^Flickr: no API key configured$/);
  });

  it("reports stat=fail answers as API errors naming Flickr, retryable for 105 (service unavailable) only", async () => {
    // HTTP failures, bodies that are not JSON and bodies without the fields read are in the failure-contract table.
    const { source, server } = await flickrWith(
      repliesBy("text", {
        unavailable: { body: { stat: "fail", code: 105, message: "Service currently unavailable" } },
        badparam: { body: { stat: "fail", code: 3, message: "Parameterless searches have been disabled." } },
      }),
    );
    const search = (query: string) => source.search(searchRequest({ query }), server.context);
    expect((await expectSourceError(search("unavailable"), /^Flickr: API error 105: Service currently unavailable$/)).retryable).toBe(true);
    expect((await expectSourceError(search("badparam"), /^Flickr: API error 3: Parameterless searches/)).retryable).toBe(false);
  });

  it("drops only a photo without the fields it maps", async () => {
    const broken = fixtureJson<{ photos: { photo: Record<string, unknown>[] } }>("flickr-search-page1.json");
    delete broken.photos.photo[2].owner;
    const { source, server } = await flickrWith(() => ({ body: broken }));
    const page = await source.search(searchRequest(), server.context);
    expect(page.items.map((i) => i.remoteId)).toEqual(["52581284912", "49305231617"]);
    expect(page.dropped).toEqual([{ remoteId: "8378292115", reason: "a malformed record (missing owner)" }]);
  });
});
