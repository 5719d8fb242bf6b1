import { describe, expect, it } from "vitest";
import { createDanbooru } from "@/lib/sources/danbooru";
import { fixtureJson, type FixtureHandler } from "@/tests/support/source-test-server";
import {
  adapterPerTest,
  expectRequest,
  expectSourceError,
  notJson,
  repliesBy,
  requestWith,
  walkPages,
} from "@/tests/support/source-test-kit";

type Post = Record<string, unknown> & { id: number };

const request = requestWith({ mediaTypes: "both", safeSearch: false, limit: 500 });

const posts = () => fixtureJson<Post[]>("danbooru-posts.json");

/** A full page of 100 posts (the fixture's five, repeated with fresh ids). */
function fullPage(page: number): Post[] {
  return Array.from({ length: 100 }, (_, i) => ({ ...posts()[i % 5], id: page * 1000 + i }));
}

/** Answers like danbooru.donmai.us: "aurora" has 5 posts; "deep" has two full pages, then 5. */
const danbooruApi: FixtureHandler = ({ path, params }) => {
  if (path !== "/posts.json") return undefined;
  const [first] = (params.get("tags") ?? "").split(" ");
  const page = Number(params.get("page"));
  if (first === "aurora") return { body: page === 1 ? posts() : [] };
  if (first === "deep") return { body: page <= 2 ? fullPage(page) : posts() };
  return { body: [] };
};

const danbooruWith = adapterPerTest((server) => createDanbooru({ id: "danbooru", name: "Danbooru", apiUrl: `${server.origin}/` }));

describe("Danbooru adapter", () => {
  it("queries posts.json by tags with a fixed page size and normalizes posts with files", async () => {
    const { source, server } = await danbooruWith(danbooruApi);
    const page = await source.search(request(), server.context);

    expectRequest(server, { path: "/posts.json", params: { tags: "aurora", limit: "100", page: "1" } });

    expect(page.items).toEqual([
      {
        remoteId: "7312406",
        mediaType: "image",
        mediaUrl: "https://cdn.donmai.us/original/2f/5a/2f5a9c1d0e6b4f7e8a1c3b5d7e9f0a12.jpg",
        thumbnailUrl: "https://cdn.donmai.us/180x180/2f/5a/2f5a9c1d0e6b4f7e8a1c3b5d7e9f0a12.jpg",
        pageUrl: `${server.origin}/posts/7312406`,
        title: "original",
        author: "yoshino mai",
        expectedBytes: 1843921,
        md5: "2f5a9c1d0e6b4f7e8a1c3b5d7e9f0a12",
      },
      {
        remoteId: "7298817",
        mediaType: "image",
        mediaUrl: "https://cdn.donmai.us/original/9b/1e/9b1e3d5f7a9c1e3b5d7f9a1c3e5b7d90.png",
        thumbnailUrl: "https://cdn.donmai.us/180x180/9b/1e/9b1e3d5f7a9c1e3b5d7f9a1c3e5b7d90.jpg",
        pageUrl: `${server.origin}/posts/7298817`,
        title: "hatsune miku, kagamine rin",
        author: "kaede (artist)",
        expectedBytes: 2230012,
        md5: "9b1e3d5f7a9c1e3b5d7f9a1c3e5b7d90",
      },
      {
        remoteId: "7285530",
        mediaType: "video",
        mediaUrl: "https://cdn.donmai.us/original/4c/6e/4c6e8a0b2d4f6a8c0e2b4d6f8a0c2e41.mp4",
        thumbnailUrl: "https://cdn.donmai.us/180x180/4c/6e/4c6e8a0b2d4f6a8c0e2b4d6f8a0c2e41.jpg",
        pageUrl: `${server.origin}/posts/7285530`,
        title: "original",
        author: "rinne studio",
        expectedBytes: 8810031,
        md5: "4c6e8a0b2d4f6a8c0e2b4d6f8a0c2e41",
      },
      {
        // an ugoira zip is downloaded as its webm rendition (the post's md5 and size are the zip's)
        remoteId: "7270112",
        mediaType: "video",
        mediaUrl: "https://cdn.donmai.us/sample/d1/f3/sample-d1f3b5a7c9e1d3f5b7a9c1e3d5f7b9a2.webm",
        thumbnailUrl: "https://cdn.donmai.us/180x180/d1/f3/d1f3b5a7c9e1d3f5b7a9c1e3d5f7b9a2.jpg",
        pageUrl: `${server.origin}/posts/7270112`,
        title: "original",
        author: "tsukimi (artist)",
      },
    ]);
    expect(page.dropped).toEqual([{ remoteId: "7266001", reason: "no file URL (hidden from anonymous users, or deleted)" }]);
    expect(page.nextCursor).toBeNull();
  });

  it("adds rating:g for safe search (a metatag that does not count as a tag) and drops other ratings", async () => {
    const { source, server } = await danbooruWith(danbooruApi);
    const page = await source.search(request({ query: "aurora night_sky", safeSearch: true }), server.context);
    expect(server.requests[0].params.get("tags")).toBe("aurora night_sky rating:g");
    expect(page.items.map((i) => i.remoteId)).toEqual(["7312406", "7285530"]);
    expect(page.dropped).toEqual([
      { remoteId: "7298817", reason: "rated s (safe search keeps rating:g only)" },
      { remoteId: "7270112", reason: "rated q (safe search keeps rating:g only)" },
      { remoteId: "7266001", reason: "rated e (safe search keeps rating:g only)" },
    ]);
  });

  it("drops formats Trawl cannot store, each with the reason: a swf and an ugoira zip without a webm rendition", async () => {
    const [image, , , ugoira] = posts();
    const flash = { ...image, id: 1, file_ext: "swf", file_url: "https://cdn.donmai.us/original/aa/bb/aabb.swf" };
    const bareUgoira = { ...ugoira, id: 2, large_file_url: "https://cdn.donmai.us/original/d1/f3/d1f3.zip" };
    const { source, server } = await danbooruWith(() => ({ body: [flash, bareUgoira, image] }));
    const page = await source.search(request(), server.context);
    expect(page.items.map((i) => i.remoteId)).toEqual(["7312406"]);
    expect(page.dropped).toEqual([
      { remoteId: "1", reason: "a swf file, which Trawl cannot store" },
      { remoteId: "2", reason: "an ugoira zip without a webm rendition, which Trawl cannot store" },
    ]);
  });

  it("refuses more than 2 counted tags before calling the API", async () => {
    const { source, server } = await danbooruWith(danbooruApi);
    const error = await expectSourceError(
      source.search(request({ query: "aurora snow -solo" }), server.context),
      /^Danbooru: anonymous searches are limited to 2 tags, got 3 \(aurora snow -solo\)$/,
    );
    expect(error.retryable).toBe(false);
    await expectSourceError(source.search(request({ query: "  " }), server.context), /^Danbooru: a search query \(tags\) is required$/);
    expect(server.requests).toHaveLength(0);

    // rating:, status: and score: are free metatags
    await source.search(request({ query: "aurora snow rating:s status:active score:>10" }), server.context);
    expect(server.requests).toHaveLength(1);
  });

  it("honours the media type filter", async () => {
    const { source, server } = await danbooruWith(danbooruApi);
    const images = await source.search(request({ mediaTypes: "images" }), server.context);
    const videos = await source.search(request({ mediaTypes: "videos" }), server.context);
    expect(images.items.map((i) => i.remoteId)).toEqual(["7312406", "7298817"]);
    expect(images.dropped?.map((d) => [d.remoteId, d.reason])).toEqual([
      ["7285530", "a video (the job asks for images only)"],
      ["7270112", "a video (the job asks for images only)"],
      ["7266001", "no file URL (hidden from anonymous users, or deleted)"],
    ]);
    expect(videos.items.map((i) => [i.remoteId, i.mediaType])).toEqual([
      ["7285530", "video"],
      ["7270112", "video"],
    ]);
  });

  it("pages while pages are full, stops at the limit and resumes inside a page", async () => {
    const { source, server } = await danbooruWith(danbooruApi);
    const { ids, cursors, dropped } = await walkPages(source, request({ query: "deep", limit: 50 }), server.context);

    // each full page yields 80 items (every fifth post has no file): 50 items take 62 posts
    expect(cursors).toEqual(["1:62", "2", "2:62", "3", null]);
    // each post without a file is reported once, by the call that reached it
    expect(dropped.map((drops) => drops.length)).toEqual([12, 8, 12, 8, 1]);
    expect(server.requests.map((r) => r.params.get("page"))).toEqual(["1", "1", "2", "2", "3"]);
    expect(ids).toHaveLength(80 + 80 + 4);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("refuses cursors beyond Danbooru's page 1000 and malformed cursors", async () => {
    const { source, server } = await danbooruWith(danbooruApi);
    await expectSourceError(source.search(request({ cursor: "1001" }), server.context), /^Danbooru: invalid cursor "1001"$/);
    await expectSourceError(source.search(request({ cursor: "next" }), server.context), /^Danbooru: invalid cursor "next"$/);
    expect(server.requests).toHaveLength(0);
  });

  it("reports HTTP failures and malformed pages as SourceErrors naming Danbooru, and drops only a malformed record", async () => {
    const noId = posts().map(({ id, ...rest }) => (id === 7298817 ? rest : { id, ...rest }));
    const { source, server } = await danbooruWith(
      repliesBy("tags", {
        down: { status: 500, body: { success: false, message: "Internal error" } },
        throttled: { status: 429, headers: { "retry-after": "60" }, body: { success: false, message: "Rate limited" } },
        badjson: notJson('[{"id": 1,'),
        notarray: { body: { success: false, message: "You cannot search for more than 2 tags at a time" } },
        noid: { body: noId },
      }),
    );
    const search = (query: string) => source.search(request({ query }), server.context);

    const down = await expectSourceError(search("down"), /^Danbooru: HTTP 500 from 127\.0\.0\.1:\d+$/);
    expect(down.retryable).toBe(true);
    const throttled = await expectSourceError(search("throttled"), /^Danbooru: HTTP 429 from /);
    expect(throttled.retryable).toBe(true);
    expect(throttled.retryAfterMs).toBe(60_000);
    const missing = await expectSourceError(search("gone"), /^Danbooru: HTTP 404 from /);
    expect(missing.retryable).toBe(false);
    await expectSourceError(search("badjson"), /^Danbooru: malformed JSON from 127\.0\.0\.1:\d+$/);
    await expectSourceError(search("notarray"), /^Danbooru: malformed response \(body: /);
    const noid = await search("noid");
    expect(noid.items.map((i) => i.remoteId)).toEqual(["7312406", "7285530", "7270112"]);
    expect(noid.dropped).toEqual([
      { reason: "a malformed record (missing id)" },
      { remoteId: "7266001", reason: "no file URL (hidden from anonymous users, or deleted)" },
    ]);
  });
});

describe("Danbooru adapter on a recorded posts.json page (nullxception/boorusphere test/fixtures/danbooru/posts.json)", () => {
  const recorded = () => fixtureJson<Post[]>("danbooru-boorusphere-posts.json");
  const recordedApi: FixtureHandler = ({ path }) => (path === "/posts.json" ? { body: recorded() } : undefined);

  it("turns every recorded post into an item that takes the original file, the artist tags and the md5", async () => {
    const { source, server } = await danbooruWith(recordedApi);
    const page = await source.search(request(), server.context);
    const posts = recorded();

    // 5 records: 5 items, none dropped (2 lack preview_file_url, which only loses the thumbnail)
    expect([posts.length, page.items.length, page.dropped?.length ?? 0]).toEqual([5, 5, 0]);
    expect(page.items.map((i) => [i.remoteId, i.mediaType, i.author])).toEqual([
      ["6402984", "image", "halya meri"],
      ["6402983", "image", "eringikinono"],
      ["6402982", "image", "naga u"],
      ["6402980", "image", "tommy (kingdukeee)"],
      ["6402976", "image", "beudelb"],
    ]);
    for (const [i, item] of page.items.entries()) {
      const post = posts[i] as Post & { file_url: string; large_file_url: string; md5: string; file_size: number };
      // the original, never the sample (large_file_url is a sample-*.jpg for 4 of the 5)
      expect(item.mediaUrl).toBe(post.file_url);
      expect(item.mediaUrl).toMatch(/^https:\/\/cdn\.donmai\.us\/original\//);
      expect([item.md5, item.expectedBytes]).toEqual([post.md5, post.file_size]);
    }
    expect(page.items.filter((i) => i.mediaUrl !== posts.find((p) => String(p.id) === i.remoteId)?.large_file_url)).toHaveLength(4);
    expect(page.items[1]).toMatchObject({
      mediaUrl: "https://cdn.donmai.us/original/9f/54/9f546c23a79102d225d113471c567fcb.png",
      thumbnailUrl: "https://cdn.donmai.us/180x180/9f/54/9f546c23a79102d225d113471c567fcb.jpg",
      title: "original",
    });
    expect(page.items[0].title).toBe("misaka mikoto");
    expect(page.items[3].thumbnailUrl).toBeUndefined();
  });

  it("drops every recorded post under safe search (all are rated s, sensitive), each with the reason", async () => {
    const { source, server } = await danbooruWith(recordedApi);
    const page = await source.search(request({ safeSearch: true }), server.context);
    expect(page.items).toEqual([]);
    expect(page.dropped).toEqual(
      recorded().map((post) => ({ remoteId: String(post.id), reason: "rated s (safe search keeps rating:g only)" })),
    );
  });
});
