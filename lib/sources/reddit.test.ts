import { describe, expect, it } from "vitest";
import { createReddit, unescapeHtml } from "@/lib/sources/reddit";
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
import { droppedRecordLines } from "@/lib/jobs/dropped-records";

type Listing = {
  kind: string;
  data: { after: string | null; children: { kind: string; data: Record<string, unknown> & { permalink: string } }[] };
};

const request = requestWith({ mediaTypes: "both", safeSearch: false });

const listing = () => fixtureJson<Listing>("reddit-search.json");
const permalink = (id: string) => listing().data.children.find((c) => c.data.id === id)?.data.permalink;

/** Answers like www.reddit.com: "aurora" has one page of 7 posts (after = t3_1b4d5cc), then nothing. */
const redditApi: FixtureHandler = ({ path, params }) => {
  if (path !== "/search.json") return undefined;
  if (params.get("q") === "aurora" && !params.has("after")) return { body: listing() };
  return { body: { kind: "Listing", data: { after: null, dist: 0, modhash: "", geo_filter: "", children: [], before: null } } };
};

const redditWith = adapterPerTest((server) => createReddit({ id: "reddit", apiUrl: `${server.origin}/` }));

describe("Reddit adapter", () => {
  it("searches link posts and extracts images, gallery items, videos and crossposted media", async () => {
    const { source, server } = await redditWith(redditApi);
    const page = await source.search(request(), server.context);

    expectRequest(server, { path: "/search.json", params: { q: "aurora", type: "link", limit: "100", include_over_18: "on" } });

    const gallery = {
      pageUrl: `${server.origin}${permalink("1b4j2kq")}`,
      title: "Three nights of aurora & stars",
      author: "u/skyhunter",
      thumbnailUrl: undefined,
    };
    expect(page.items).toEqual([
      {
        remoteId: "1b4kq2x",
        mediaType: "image",
        mediaUrl: "https://i.redd.it/7m2k9x4plpmc1.jpeg",
        thumbnailUrl: "https://preview.redd.it/7m2k9x4plpmc1.jpeg?auto=webp&s=4f0c2d9e8b7a6c5d4e3f2a1b0c9d8e7f6a5b4c3d",
        pageUrl: `${server.origin}${permalink("1b4kq2x")}`,
        title: "Aurora over Lofoten, Norway [OC] [3024x4032]",
        author: "u/fjordwalker",
      },
      // a gallery: the originals on i.redd.it, in gallery order; the failed item is skipped
      { remoteId: "1b4j2kq:q8w7e6r5t4y3", mediaType: "image", mediaUrl: "https://i.redd.it/q8w7e6r5t4y3.jpg", ...gallery },
      { remoteId: "1b4j2kq:a1s2d3f4g5h6", mediaType: "image", mediaUrl: "https://i.redd.it/a1s2d3f4g5h6.png", ...gallery },
      { remoteId: "1b4j2kq:z9x8c7v6b5n4", mediaType: "image", mediaUrl: "https://i.redd.it/z9x8c7v6b5n4.gif", ...gallery },
      {
        // Reddit-hosted video: the fallback MP4 (video track only)
        remoteId: "1b4h8vn",
        mediaType: "video",
        mediaUrl: "https://v.redd.it/x9y8z7w6v5u4/DASH_1080.mp4?source=fallback",
        thumbnailUrl: "https://external-preview.redd.it/x9y8z7w6v5u4.png?format=pjpg&auto=webp&s=0a9b",
        pageUrl: `${server.origin}${permalink("1b4h8vn")}`,
        title: "Real-time aurora, 20 minutes",
        author: "u/nightlapse",
      },
      {
        remoteId: "1b4g1nn",
        mediaType: "image",
        mediaUrl: "https://i.imgur.com/Zx8Yw7V.png",
        thumbnailUrl: "https://preview.redd.it/zx8yw7v.png?auto=webp&s=1111",
        pageUrl: `${server.origin}${permalink("1b4g1nn")}`,
        title: "Aurora selfie (nsfw)",
        author: "u/throwaway_aurora",
      },
      // the self post and the news link carry no media of their own
      {
        // a crosspost: the media of the original post; the author deleted their account
        remoteId: "1b4d5cc",
        mediaType: "image",
        mediaUrl: "https://i.redd.it/c0r0na5tr41ght.png",
        thumbnailUrl: undefined,
        pageUrl: `${server.origin}${permalink("1b4d5cc")}`,
        title: "Crosspost: aurora corona straight overhead",
        author: undefined,
      },
    ]);
    // Reddit's "after" token, in the one cursor format
    expect(page.nextCursor).toBe("~t3_1b4d5cc");
    expect(page.dropped).toEqual([
      { remoteId: "1b4j2kq:p0o9i8u7y6t5", reason: "a gallery entry Reddit has not processed (status failed)" },
      { remoteId: "1b4f9aa", reason: "a text post" },
      { remoteId: "1b4e7bb", reason: "no direct media file (a link to example-news.com)" },
    ]);
  });

  it("leaves include_over_18 off for safe search and drops posts marked over 18", async () => {
    const { source, server } = await redditWith(redditApi);
    const page = await source.search(request({ safeSearch: true }), server.context);
    expect(server.requests[0].params.has("include_over_18")).toBe(false);
    expect(page.items.map((i) => i.remoteId)).not.toContain("1b4g1nn");
    expect(page.items).toHaveLength(6);
    expect(page.dropped).toContainEqual({ remoteId: "1b4g1nn", reason: "marked over 18 (safe search is on)" });
  });

  it("honours the media type filter", async () => {
    const { source, server } = await redditWith(redditApi);
    const videos = await source.search(request({ mediaTypes: "videos" }), server.context);
    expect(videos.items.map((i) => i.remoteId)).toEqual(["1b4h8vn"]);
    const images = await source.search(request({ mediaTypes: "images" }), server.context);
    expect(images.items).toHaveLength(6);
    expect(images.dropped).toContainEqual({ remoteId: "1b4h8vn", reason: "a video (the job asks for images only)" });
    expect(videos.dropped?.filter((d) => d.reason === "an image (the job asks for videos only)")).toHaveLength(6);
  });

  it("follows data.after, resuming inside a listing page when the limit cuts it", async () => {
    const { source, server } = await redditWith(redditApi);
    const { pages, ids, cursors, dropped } = await walkPages(source, request({ limit: 3 }), server.context, { overLimit: true });
    // the second post is a gallery of 3, handed back whole: the first call returns 4 items for a limit of 3,
    // and the cursor's skip counts posts (2 handled)
    expect(pages.map((page) => page.items.length)).toEqual([4, 3, 0]);
    expect(cursors).toEqual(["~:2", "~t3_1b4d5cc", null]);
    expect(server.requests.map((r) => r.params.get("after"))).toEqual([null, null, "t3_1b4d5cc"]);
    expect(ids).toHaveLength(7);
    expect(new Set(ids).size).toBe(7);
    // each drop is reported once, by the call that reached it: the failed gallery entry, then the text post and the news link
    expect(dropped.map((drops) => drops.length)).toEqual([1, 2, 0]);
    await expectSourceError(source.search(request({ cursor: "t3_x:y" }), server.context), /^Reddit: invalid cursor "t3_x:y"$/);
  });

  it("credits a crosspost's media to the original post's author, and reports a listing entry that is not a post", async () => {
    const crosspost = listing().data.children.find((c) => c.data.id === "1b4d5cc")!;
    const parents = crosspost.data.crosspost_parent_list as Record<string, unknown>[];
    const credited = { ...crosspost, data: { ...crosspost.data, crosspost_parent_list: [{ ...parents[0], author: "corona_chaser" }] } };
    const subreddit = { kind: "t5", data: { ...crosspost.data, id: "2qh0u" } };
    const { source, server } = await redditWith(() => ({
      body: { kind: "Listing", data: { after: null, children: [credited, subreddit] } },
    }));
    const page = await source.search(request(), server.context);
    // the crossposter deleted their account; the media are the original poster's anyway
    expect(page.items.map((i) => [i.remoteId, i.mediaUrl, i.author])).toEqual([
      ["1b4d5cc", "https://i.redd.it/c0r0na5tr41ght.png", "u/corona_chaser"],
    ]);
    expect(page.dropped).toEqual([{ remoteId: "2qh0u", reason: "a listing entry of kind t5, not a post" }]);
  });

  it("unescapes the HTML entities Reddit puts in JSON strings", () => {
    expect(unescapeHtml("https://preview.redd.it/a.jpg?width=108&amp;crop=smart&amp;s=1")).toBe(
      "https://preview.redd.it/a.jpg?width=108&crop=smart&s=1",
    );
    expect(unescapeHtml("&lt;b&gt; &quot;x&quot; &#39;y&#39;")).toBe(`<b> "x" 'y'`);
  });

  it("reports HTTP failures, malformed JSON and missing fields as SourceErrors naming Reddit", async () => {
    const noPermalink = listing();
    delete (noPermalink.data.children[2].data as Partial<Record<string, unknown>>).permalink;
    const { source, server } = await redditWith(
      repliesBy("q", {
        blocked: { status: 403, body: "<html><body>Blocked</body></html>" },
        down: { status: 500, body: { message: "Internal Server Error", error: 500 } },
        throttled: { status: 429, headers: { "retry-after": "600" }, body: { message: "Too Many Requests", error: 429 } },
        badjson: notJson('{"kind": "Listing", "data": {'),
        nopermalink: { body: noPermalink },
        nodata: { body: { kind: "Listing" } },
      }),
    );
    const search = (query: string) => source.search(request({ query }), server.context);

    const blocked = await expectSourceError(search("blocked"), /^Reddit: HTTP 403 from 127\.0\.0\.1:\d+$/);
    expect(blocked.retryable).toBe(false);
    const down = await expectSourceError(search("down"), /^Reddit: HTTP 500 from /);
    expect(down.retryable).toBe(true);
    const throttled = await expectSourceError(search("throttled"), /^Reddit: HTTP 429 from /);
    expect(throttled.retryAfterMs).toBe(600_000);
    expect(throttled.retryable).toBe(true);
    await expectSourceError(search("gone"), /^Reddit: HTTP 404 from /);
    await expectSourceError(search("badjson"), /^Reddit: malformed JSON from /);
    // a post without a permalink is dropped alone (it used to fail the page); the rest of the page is kept
    const noPermalinkPage = await search("nopermalink");
    expect(noPermalinkPage.items).toHaveLength(6);
    expect(noPermalinkPage.dropped).toContainEqual({ remoteId: "1b4h8vn", reason: "a malformed record (missing data.permalink)" });
    await expectSourceError(search("nodata"), /^Reddit: malformed response \(missing data\)$/);
    await expectSourceError(search("  "), /^Reddit: a search query is required$/);
  });
});

// A real response, recorded by PRAW's test suite (tests/integration/cassettes/TestFront.test_best.json,
// GET /best?limit=100&raw_json=1 on 2018-05-05; see tests/fixtures/sources/reddit-best-praw-2018.provenance.md):
// a front page of 100 posts, 22 of them imgur .gifv / gfycat links whose only direct file is Reddit's preview MP4.
describe("Reddit adapter on a recorded front page", () => {
  type Post = Record<string, unknown> & { id: string; post_hint?: string; over_18: boolean; preview?: { reddit_video_preview?: unknown } };
  const recorded = () => fixtureJson<{ data: { after: string; children: { kind: string; data: Post }[] } }>("reddit-best-praw-2018.json");
  const posts = () => recorded().data.children.map((child) => child.data);
  /** What Reddit itself marks as media: image and hosted-video posts, and links it made a preview video of. */
  const isMedia = (post: Post) =>
    post.post_hint === "image" || post.post_hint === "hosted:video" || post.preview?.reddit_video_preview !== undefined;

  const recordedApi =
    (body: () => unknown): FixtureHandler =>
    ({ path, params }) =>
      path === "/search.json" && !params.has("after") ? { body: body() } : undefined;

  it("has 100 posts, 78 of them media, 22 of those links to imgur .gifv or gfycat with no Reddit video", () => {
    const all = posts();
    expect(recorded().data.after).toBe("t3_8h8g1q");
    expect(all).toHaveLength(100);
    expect(all.filter(isMedia)).toHaveLength(78);
    const previewOnly = all.filter((p) => ["link", "rich:video"].includes(p.post_hint ?? "") && p.preview?.reddit_video_preview);
    expect(previewOnly).toHaveLength(22);
    expect(previewOnly.map((p) => new URL(p.url as string).hostname).sort()).toEqual([
      ...Array<string>(3).fill("gfycat.com"),
      ...Array<string>(19).fill("i.imgur.com"),
    ]);
    // no media.reddit_video (gfycat posts carry only an oembed there), and the URL names no file Trawl could fetch
    const media = (p: Post) => p.media as { reddit_video?: unknown; oembed?: unknown } | null;
    expect(previewOnly.filter((p) => media(p) === null)).toHaveLength(19);
    expect(previewOnly.every((p) => media(p)?.reddit_video === undefined && /\.gifv$|gfycat\.com\/\w+$/.test(p.url as string))).toBe(true);
  });

  it("turns every media post into an item, the gifv and gfycat links into Reddit's preview MP4, and reports the other 22 posts", async () => {
    const { source, server } = await redditWith(recordedApi(recorded));
    const page = await source.search(request(), server.context);
    const all = posts();

    expect(page.items).toHaveLength(78);
    expect(page.items.map((i) => i.remoteId)).toEqual(all.filter(isMedia).map((p) => p.id));
    expect(page.items.filter((i) => i.mediaType === "image")).toHaveLength(52);
    expect(page.items.filter((i) => i.mediaType === "video")).toHaveLength(26);
    expect(page.nextCursor).toBe("~t3_8h8g1q");

    const item = (id: string) => page.items.find((i) => i.remoteId === id);
    expect(item("8h8w1l")).toEqual({
      // https://i.imgur.com/QhVg5yl.gifv, post_hint "link", no variants.mp4: the reddit_video_preview fallback
      remoteId: "8h8w1l",
      mediaType: "video",
      mediaUrl: "https://v.redd.it/qshxuvxbl2w01/DASH_9_6_M",
      thumbnailUrl: "https://i.redditmedia.com/rVtXIWAf2Fphf17xShTlpbihYkytp-JZooBFpV7PEKo.jpg?s=be1f78c8a75975a34817e28a6a1d3af9",
      pageUrl: `${server.origin}/r/Damnthatsinteresting/comments/8h8w1l/apartments_with_sprawling_shared_pool/`,
      title: "Apartments with sprawling shared pool",
      author: "u/bsurfn2day",
    });
    expect(item("8h9605")).toMatchObject({
      // http://gfycat.com/unevensparseantarcticfurseal, post_hint "rich:video"
      mediaType: "video",
      mediaUrl: "https://v.redd.it/yqp9q7lus2w01/DASH_4_8_M",
      thumbnailUrl: "https://i.redditmedia.com/VlBXsu175BPQRyhWMCMzoa9cy6hfTNlbhykfJcM1f4E.gif?fm=jpg&s=7b4abb4d838397bcd7c526f08cd95476",
      title: "just keep spinning",
    });
    // the existing mappings are untouched: a Reddit-hosted video and an i.imgur.com .gif image post
    expect(item("8h7yxa")).toMatchObject({
      mediaType: "video",
      mediaUrl: expect.stringMatching(/^https:\/\/v\.redd\.it\/gvfh7n7nv1w01\//),
    });
    expect(item("8h99et")).toMatchObject({ mediaType: "image", mediaUrl: "https://i.imgur.com/Zq09Lia.gif" });

    // every post is accounted for, once: as an item or as a dropped record
    const dropped = page.dropped ?? [];
    expect(dropped).toHaveLength(22);
    expect([...page.items.map((i) => i.remoteId), ...dropped.map((d) => d.remoteId)].sort()).toEqual(all.map((p) => p.id).sort());
    const byReason: Record<string, number> = {};
    for (const { reason } of dropped) byReason[reason] = (byReason[reason] ?? 0) + 1;
    expect(byReason).toEqual({
      "a text post": 5,
      "no direct media file (a link to imgur.com)": 6,
      "no direct media file (a link to businessinsider.com)": 2,
      "no direct media file (a link to abcnews.go.com)": 1,
      "no direct media file (a link to abc.net.au)": 1,
      "no direct media file (a link to androidpolice.com)": 1,
      "no direct media file (a link to history.com)": 1,
      "no direct media file (a link to medium.com)": 1,
      "no direct media file (a link to twitter.com)": 1,
      "no direct media file (a link to woodtv.com)": 1,
      "no direct media file (a link to youtu.be)": 1,
      "no direct media file (a link to youtube.com)": 1,
    });
    expect(droppedRecordLines("Reddit", dropped)).toContain(
      "Reddit: left out 6 record(s), no direct media file (a link to imgur.com): 8h8v1b, 8h7ot0, 8h9vz6, 8h7zj8, 8h96ld, …",
    );
  });

  it("reports the posts safe search and the media type filter leave out", async () => {
    const { source, server } = await redditWith(recordedApi(recorded));
    const safe = await source.search(request({ safeSearch: true }), server.context);
    expect(safe.items).toHaveLength(77);
    expect(safe.dropped?.filter((d) => d.reason === "marked over 18 (safe search is on)").map((d) => d.remoteId)).toEqual([
      "8h8pwt",
      "8h83um",
    ]);
    expect(safe.dropped).toHaveLength(23);

    const images = await source.search(request({ mediaTypes: "images" }), server.context);
    expect(images.items).toHaveLength(52);
    expect(images.dropped?.filter((d) => d.reason === "a video (the job asks for images only)")).toHaveLength(26);
    expect(images.dropped).toHaveLength(22 + 26);
  });

  it("falls back to the preview's mp4 variant and unescapes &amp; as the logged-out search sends it", async () => {
    // A copy of a recorded post (i.imgur.com/0kt9CB7.gifv) changed in this test only: without its
    // reddit_video_preview, and with its URLs HTML-escaped as they come without raw_json=1.
    const post = posts().find((p) => p.id === "8h8hmk") as Post & { preview: Record<string, unknown> };
    const preview = { ...post.preview };
    delete preview.reddit_video_preview;
    const escaped = JSON.parse(JSON.stringify({ ...post, preview }).replaceAll("&", "&amp;")) as Post;
    const { source, server } = await redditWith(
      recordedApi(() => ({ kind: "Listing", data: { after: null, children: [{ kind: "t3", data: escaped }] } })),
    );
    const page = await source.search(request(), server.context);
    expect(page.items).toEqual([
      expect.objectContaining({
        remoteId: "8h8hmk",
        mediaType: "video",
        mediaUrl:
          "https://g.redditmedia.com/v1p1aBDcyMNZZEkUesk-2YVay5GcFy5ky_io9i2jXVc.gif?fm=mp4&mp4-fragmented=false&s=1e57e843f3943704127e92e3de5ba7d9",
        thumbnailUrl: "https://i.redditmedia.com/v1p1aBDcyMNZZEkUesk-2YVay5GcFy5ky_io9i2jXVc.gif?fm=jpg&s=575d0bd18e93ba36c400804bf1dd6d63",
      }),
    ]);
    expect(page.dropped ?? []).toEqual([]);
  });
});
