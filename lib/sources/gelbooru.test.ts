import { describe, expect, it } from "vitest";
import { createGelbooru, GELBOORU_KEY } from "@/lib/sources/gelbooru";
import { fixtureJson, type FixtureHandler } from "@/tests/support/source-test-server";
import { adapterPerTest, expectRequest, expectSourceError, notJson, repliesBy, requestWith } from "@/tests/support/source-test-kit";

type Post = Record<string, unknown> & { id: number };

const request = requestWith({ mediaTypes: "both", safeSearch: false, limit: 500 });

const KEY = "123456:0f9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d9c8b7a6f5e4d3c2b1a0f9e";

/** Answers like gelbooru.com: valid credentials required; "aurora" has 4 posts; "deep" has full pages. */
const gelbooruApi: FixtureHandler = ({ path, params }) => {
  if (path !== "/index.php" || params.get("page") !== "dapi") return undefined;
  if (params.get("user_id") !== "123456" || params.get("api_key") !== KEY.split(":")[1]) return { status: 401, body: "" };
  const [first] = (params.get("tags") ?? "").split(" ");
  if (first === "aurora") return { body: fixtureJson("gelbooru-posts.json") };
  if (first === "deep") {
    const pid = Number(params.get("pid"));
    const template = fixtureJson<{ post: Post[] }>("gelbooru-posts.json").post;
    const post = Array.from({ length: 100 }, (_, i) => ({ ...template[i % 4], id: pid * 1000 + i }));
    return { body: { "@attributes": { limit: 100, offset: pid * 100, count: 30000 }, post } };
  }
  return { body: fixtureJson("gelbooru-no-results.json") };
};

/** Answers like safebooru.org: a bare array, and an empty body when nothing matched. */
const safebooruApi: FixtureHandler = ({ path, params }) => {
  if (path !== "/index.php" || params.get("page") !== "dapi") return undefined;
  switch (params.get("tags")) {
    case "aurora":
      return { body: fixtureJson("safebooru-posts.json") };
    case "toodeep":
      return { body: "Too deep! Pull it back some. Holy fuck." };
    default:
      return { body: "" };
  }
};

const gelbooruWith = adapterPerTest((server) =>
  createGelbooru({
    id: "gelbooru",
    name: "Gelbooru",
    description: "Gelbooru",
    homepage: "https://gelbooru.com/",
    apiUrl: `${server.origin}/`,
    safeSearchTag: "rating:general",
    key: GELBOORU_KEY,
  }),
);

const safebooruWith = adapterPerTest((server) =>
  createGelbooru({
    id: "safebooru",
    name: "Safebooru",
    description: "Safebooru",
    homepage: "https://safebooru.org/",
    apiUrl: server.origin,
  }),
);

describe("Gelbooru adapter (gelbooru.com, keyed)", () => {
  it("sends the dapi query with the user id and API key and normalizes the wrapped posts", async () => {
    const { source, server } = await gelbooruWith(gelbooruApi);
    const page = await source.search(request(), { ...server.context, key: KEY });

    expectRequest(server, {
      path: "/index.php",
      params: {
        page: "dapi",
        s: "post",
        q: "index",
        json: "1",
        tags: "aurora",
        limit: "100",
        pid: "0",
        api_key: KEY.split(":")[1],
        user_id: "123456",
      },
    });
    expect(server.requests[0].headers.accept).toBe("application/json");

    expect(page.items).toEqual([
      {
        remoteId: "10264512",
        mediaType: "image",
        mediaUrl: "https://img3.gelbooru.com/images/8c/1f/8c1f2e3d4b5a69788796a5b4c3d2e1f0.jpg",
        thumbnailUrl: "https://img3.gelbooru.com/thumbnails/8c/1f/thumbnail_8c1f2e3d4b5a69788796a5b4c3d2e1f0.jpg",
        pageUrl: `${server.origin}/index.php?page=post&s=view&id=10264512`,
        title: undefined,
        md5: "8c1f2e3d4b5a69788796a5b4c3d2e1f0",
      },
      {
        remoteId: "10251077",
        mediaType: "video",
        mediaUrl: "https://video-cdn3.gelbooru.com/images/0f/1e/0f1e2d3c4b5a69780f1e2d3c4b5a6978.webm",
        thumbnailUrl: "https://img3.gelbooru.com/thumbnails/0f/1e/thumbnail_0f1e2d3c4b5a69780f1e2d3c4b5a6978.jpg",
        pageUrl: `${server.origin}/index.php?page=post&s=view&id=10251077`,
        title: "Aurora timelapse",
        md5: "0f1e2d3c4b5a69780f1e2d3c4b5a6978",
      },
      {
        remoteId: "10239950",
        mediaType: "image",
        mediaUrl: "https://img3.gelbooru.com/images/a9/b8/a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4.png",
        thumbnailUrl: "https://img3.gelbooru.com/thumbnails/a9/b8/thumbnail_a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4.jpg",
        pageUrl: `${server.origin}/index.php?page=post&s=view&id=10239950`,
        title: undefined,
        md5: "a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4",
      },
    ]);
    expect(page.dropped).toEqual([{ remoteId: "10230001", reason: "a swf file, which Trawl cannot store" }]);
    expect(page.nextCursor).toBeNull();
  });

  it("adds rating:general for safe search and drops other ratings, and filters media types", async () => {
    const { source, server } = await gelbooruWith(gelbooruApi);
    const context = { ...server.context, key: KEY };
    const safe = await source.search(request({ safeSearch: true }), context);
    expect(server.requests[0].params.get("tags")).toBe("aurora rating:general");
    expect(safe.items.map((i) => i.remoteId)).toEqual(["10264512", "10251077"]);

    const videos = await source.search(request({ mediaTypes: "videos" }), context);
    expect(videos.items.map((i) => i.remoteId)).toEqual(["10251077"]);
    const images = await source.search(request({ mediaTypes: "images" }), context);
    expect(images.items.map((i) => i.remoteId)).toEqual(["10264512", "10239950"]);
  });

  it("finishes on the no-results shape without a post array", async () => {
    const { source, server } = await gelbooruWith(gelbooruApi);
    expect(await source.search(request({ query: "qqqzzz" }), { ...server.context, key: KEY })).toEqual({ items: [], nextCursor: null });
  });

  it("pages by pid, resumes inside a page and stops at Gelbooru's 20,000-post offset", async () => {
    const { source, server } = await gelbooruWith(gelbooruApi);
    const context = { ...server.context, key: KEY };
    const first = await source.search(request({ query: "deep", limit: 60 }), context);
    expect(first.items).toHaveLength(60);
    // every fourth post is a .swf: 60 items take 79 posts, and the cursor's skip counts posts
    expect(first.nextCursor).toBe("0:79");
    const rest = await source.search(request({ query: "deep", limit: 60, cursor: first.nextCursor }), context);
    expect(rest.items).toHaveLength(15); // 75 of every 100 posts are downloadable (no .swf)
    expect(rest.nextCursor).toBe("1");
    expect(new Set([...first.items, ...rest.items].map((i) => i.remoteId)).size).toBe(75);
    // each .swf is reported once, by the call that reached it
    expect([first.dropped?.length, rest.dropped?.length]).toEqual([19, 6]);

    const last = await source.search(request({ query: "deep", cursor: "199" }), context);
    expect(server.requests.at(-1)?.params.get("pid")).toBe("199");
    expect(last.items).toHaveLength(75);
    expect(last.nextCursor).toBeNull();
    await expectSourceError(source.search(request({ query: "deep", cursor: "200" }), context), /^Gelbooru: invalid cursor "200"$/);
  });

  it("needs a key written <user_id>:<api_key> and reports a rejected one", async () => {
    const { source, server } = await gelbooruWith(gelbooruApi);
    const none = await expectSourceError(source.search(request(), server.context), /^Gelbooru: no API key configured$/);
    expect(none.retryable).toBe(false);
    await expectSourceError(
      source.search(request(), { ...server.context, key: "just-an-api-key" }),
      /^Gelbooru: the key must be written "<user_id>:<api_key>"$/,
    );
    expect(server.requests).toHaveLength(0);

    const rejected = await expectSourceError(
      source.search(request(), { ...server.context, key: "999:wrong" }),
      /^Gelbooru: API key rejected \(401\)$/,
    );
    expect(rejected.status).toBe(401);
    expect(rejected.retryable).toBe(false);
  });

  it("reports HTTP failures and malformed pages as SourceErrors naming Gelbooru, and drops only a malformed record", async () => {
    const noId = fixtureJson<{ post: Post[] }>("gelbooru-posts.json");
    delete (noId.post[2] as Partial<Post>).id;
    const relativeFile = fixtureJson<{ post: Post[] }>("gelbooru-posts.json");
    relativeFile.post[0].file_url = "images/8c/1f/8c1f2e3d4b5a69788796a5b4c3d2e1f0.jpg";
    const { source, server } = await gelbooruWith(
      repliesBy("tags", {
        down: { status: 500, body: "" },
        throttled: { status: 429, headers: { "retry-after": "30" }, body: "" },
        badjson: notJson('{"@attributes": {"limit": 100'),
        noid: { body: noId },
        relative: { body: relativeFile },
        nocount: { body: { "@attributes": { limit: 100 }, post: [] } },
      }),
    );
    const search = (query: string) => source.search(request({ query }), { ...server.context, key: KEY });

    const down = await expectSourceError(search("down"), /^Gelbooru: HTTP 500 from 127\.0\.0\.1:\d+$/);
    expect(down.retryable).toBe(true);
    const throttled = await expectSourceError(search("throttled"), /^Gelbooru: HTTP 429 from /);
    expect(throttled.retryAfterMs).toBe(30_000);
    expect(throttled.retryable).toBe(true);
    const missing = await expectSourceError(search("gone"), /^Gelbooru: HTTP 404 from /);
    expect(missing.retryable).toBe(false);
    await expectSourceError(search("badjson"), /^Gelbooru: malformed JSON from 127\.0\.0\.1:\d+$/);
    const noid = await search("noid");
    const relative = await search("relative");
    expect(relative.items.map((i) => i.remoteId)).toEqual(["10251077", "10239950"]);
    expect(relative.dropped).toEqual([
      { remoteId: "10264512", reason: "a file URL that is not an absolute URL" },
      { remoteId: "10230001", reason: "a swf file, which Trawl cannot store" },
    ]);
    expect(noid.items.map((i) => i.remoteId)).toEqual(["10264512", "10251077"]);
    expect(noid.dropped).toEqual([
      { reason: "a malformed record (missing id)" },
      { remoteId: "10230001", reason: "a swf file, which Trawl cannot store" },
    ]);
    await expectSourceError(search("nocount"), /^Gelbooru: malformed response \(missing @attributes\.count\)$/);
  });
});

describe("Gelbooru adapter (safebooru.org, keyless)", () => {
  it("reads the bare-array shape without sending credentials and keeps safe ratings for safe search", async () => {
    const { source, server } = await safebooruWith(safebooruApi);
    const all = await source.search(request(), server.context);
    expect(server.requests[0].params.has("api_key")).toBe(false);
    expect(server.requests[0].params.has("user_id")).toBe(false);
    expect(all.items.map((i) => [i.remoteId, i.mediaType, i.mediaUrl])).toEqual([
      ["5077620", "image", "https://safebooru.org/images/4921/6fef5929e6e09703b1493c6e5802fa5e4f189639.jpg"],
      ["5077511", "image", "https://safebooru.org/images/4920/0a1b2c3d4e5f60718293a4b5c6d7e8f901234567.png"],
      ["5077400", "image", "https://safebooru.org/images/4919/ffeeddccbbaa99887766554433221100ffeeddcc.gif"],
    ]);
    expect(all.items[0].pageUrl).toBe(`${server.origin}/index.php?page=post&s=view&id=5077620`);

    const safe = await source.search(request({ safeSearch: true }), server.context);
    // no rating tag is added on a board that is safe by policy; the questionable post is dropped
    expect(server.requests[1].params.get("tags")).toBe("aurora");
    expect(safe.items.map((i) => i.remoteId)).toEqual(["5077620", "5077400"]);
    expect(safe.dropped).toEqual([{ remoteId: "5077511", reason: "rated questionable (safe search keeps general/safe only)" }]);
  });

  it("treats an empty body and the too-deep answer as the end of results", async () => {
    const { source, server } = await safebooruWith(safebooruApi);
    expect(await source.search(request({ query: "qqqzzz" }), server.context)).toEqual({ items: [], nextCursor: null });
    expect(await source.search(request({ query: "toodeep" }), server.context)).toEqual({ items: [], nextCursor: null });
    await expectSourceError(source.search(request({ query: "" }), server.context), /^Safebooru: a search query \(tags\) is required$/);
  });
});

describe("Gelbooru adapter on a recorded dapi page (nullxception/boorusphere test/fixtures/gelbooru/posts.json)", () => {
  type Recorded = Post & { file_url: string; sample_url: string; md5: string; owner: string };
  const recorded = () => fixtureJson<{ "@attributes": { count: number }; post: Recorded[] }>("gelbooru-boorusphere-posts.json");
  const recordedApi: FixtureHandler = ({ path }) => (path === "/index.php" ? { body: recorded() } : undefined);

  it("turns every recorded post into an item that takes the original file and its md5, with no uploader as author", async () => {
    const { source, server } = await gelbooruWith(recordedApi);
    // all 5 recorded posts are rated "safe", so safe search keeps them all
    const page = await source.search(request({ safeSearch: true }), { ...server.context, key: KEY });
    const posts = recorded().post;

    expect([posts.length, page.items.length, page.dropped?.length ?? 0]).toEqual([5, 5, 0]);
    expect(page.items.map((i) => i.remoteId)).toEqual(["1943185", "1901145", "1884298", "1853979", "520107"]);
    for (const [i, item] of page.items.entries()) {
      expect(item.mediaType).toBe("image");
      // the original under /images/, never sample_url (a /samples/ rendition for 1853979)
      expect(item.mediaUrl).toBe(posts[i].file_url);
      expect(item.md5).toBe(posts[i].md5);
      // "owner" is the uploader ("danbooru" is Gelbooru's import account), not the artist
      expect(item.author).toBeUndefined();
    }
    expect(posts[3].sample_url).toMatch(/\/samples\//);
    expect(page.items[3].mediaUrl).toBe("https://img3.gelbooru.com/images/20/bf/20bfa24702bcc14030276b12827e1250.jpeg");
    // the 2 records without preview_url only lose their thumbnail
    expect(page.items.filter((i) => i.thumbnailUrl === undefined).map((i) => i.remoteId)).toEqual(["1853979", "520107"]);
    // a page of 5 is not a full page of 100: the search ends here
    expect(page.nextCursor).toBeNull();
  });
});

describe("Gelbooru adapter on recorded safebooru.org answers (Gelbooru 0.2.0 bare arrays)", () => {
  type Recorded = Post & { file_url?: string; sample_url?: string; preview_url?: string; directory: string | number; image: string };
  const answering =
    (name: string): FixtureHandler =>
    ({ path }) =>
      path === "/index.php" ? { body: fixtureJson<Recorded[]>(name) } : undefined;

  it("takes file_url, the original, from the 2025 shape (Rexcrazy804/booru.hs test/Core/RequestSpec.hs)", async () => {
    const { source, server } = await safebooruWith(answering("gelbooru-safebooru-booruhs-post.json"));
    const posts = fixtureJson<Recorded[]>("gelbooru-safebooru-booruhs-post.json");
    const [post] = posts;
    const page = await source.search(request({ safeSearch: true }), server.context);

    // 1 record: 1 item (rated general, kept under safe search), none dropped
    expect([posts.length, page.items.length, page.dropped?.length ?? 0]).toEqual([1, 1, 0]);
    expect(page.items[0]).toEqual({
      remoteId: "6077620",
      mediaType: "image",
      // the original under /images/, not sample_url (/samples/) or preview_url (/thumbnails/)
      mediaUrl: "https://safebooru.org/images/539/6fef5929e6e09703b1493c6e5802fa5e4f189639.jpg",
      thumbnailUrl: "https://safebooru.org/thumbnails/539/thumbnail_6fef5929e6e09703b1493c6e5802fa5e4f189639.jpg",
      pageUrl: `${server.origin}/index.php?page=post&s=view&id=6077620`,
      title: undefined,
    });
    expect(post.sample_url).toMatch(/\/samples\//);
    // "owner" is the import account, not the artist; "hash" is not taken as the file's md5
    expect([post.owner, page.items[0].author, page.items[0].md5]).toEqual(["danbooru", undefined, undefined]);
  });

  it("builds the original's URL from directory and image in the 2023 shape without file_url (Apkawa/booru-rs post_id.json)", async () => {
    const { source, server } = await safebooruWith(answering("gelbooru-safebooru-boorurs-post.json"));
    const posts = fixtureJson<Recorded[]>("gelbooru-safebooru-boorurs-post.json");
    const [post] = posts;
    expect([post.file_url, post.preview_url, post.directory]).toEqual([undefined, undefined, "4111"]);
    const page = await source.search(request({ safeSearch: true }), server.context);

    // 1 record: 1 item, none dropped (before, it was dropped as "no file URL")
    expect([posts.length, page.items.length, page.dropped?.length ?? 0]).toEqual([1, 1, 0]);
    expect(page.items[0]).toEqual({
      remoteId: "4296456",
      mediaType: "image",
      mediaUrl: `${server.origin}/images/4111/938018eca5ada85ae0e5a6c1d3711b6d8851ef1a.jpg`,
      thumbnailUrl: undefined,
      pageUrl: `${server.origin}/index.php?page=post&s=view&id=4296456`,
      title: undefined,
    });
    expect(page.nextCursor).toBeNull();
  });
});
