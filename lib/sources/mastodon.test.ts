import { describe, expect, it } from "vitest";
import { createMastodon, hashtagOf } from "@/lib/sources/mastodon";
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

type Status = Record<string, unknown> & { id: string; media_attachments: Record<string, unknown>[] };

const request = requestWith({ mediaTypes: "both", safeSearch: false });

const statuses = () => fixtureJson<Status[]>("mastodon-tag-aurora.json");

/** 40 statuses with two images each, newest first, ids counting down from `top`. */
function fullPage(top: number): Status[] {
  return Array.from({ length: 40 }, (_, i) => {
    const id = String(top - i);
    const [first] = statuses();
    return { ...first, id, media_attachments: first.media_attachments.map((m, k) => ({ ...m, id: `${id}${k}` })) };
  });
}

/** Answers like mastodon.social: #aurora has 4 statuses; #deep has a full page, then 4 more. */
const mastodonApi: FixtureHandler = ({ path, params }) => {
  if (path === "/api/v1/timelines/tag/aurora") return { body: params.has("max_id") ? [] : statuses() };
  if (path === "/api/v1/timelines/tag/deep") return { body: params.get("max_id") === "900961" ? statuses() : fullPage(901000) };
  if (path.startsWith("/api/v1/timelines/tag/")) return { body: [] };
  return undefined;
};

const mastodonWith = adapterPerTest((server) =>
  createMastodon({
    id: "mastodon-social",
    name: "mastodon.social",
    description: "Mastodon",
    homepage: "https://mastodon.social/",
    apiUrl: `${server.origin}/`,
  }),
);

describe("Mastodon adapter", () => {
  it("reads the hashtag timeline and turns each image, gifv and video attachment into an item", async () => {
    const { source, server } = await mastodonWith(mastodonApi);
    const page = await source.search(request(), server.context);

    expectRequest(server, { path: "/api/v1/timelines/tag/aurora", params: { limit: "40", only_media: "true" } });

    expect(page.items).toEqual([
      {
        remoteId: "112034567001",
        mediaType: "image",
        mediaUrl: "https://files.mastodon.social/media_attachments/files/112/034/567/001/original/a1b2c3d4e5f60718.jpg",
        thumbnailUrl: "https://files.mastodon.social/media_attachments/files/112/034/567/001/small/a1b2c3d4e5f60718.jpg",
        pageUrl: "https://mastodon.social/@northernlights/112034567890123456",
        title: "Green aurora bands above a snowy fjord",
        author: "Ingrid ❄️ Northern Lights",
      },
      {
        // no alt text: the status text stands in as the title
        remoteId: "112034567002",
        mediaType: "image",
        mediaUrl: "https://files.mastodon.social/media_attachments/files/112/034/567/002/original/0f1e2d3c4b5a6978.jpg",
        thumbnailUrl: "https://files.mastodon.social/media_attachments/files/112/034/567/002/small/0f1e2d3c4b5a6978.jpg",
        pageUrl: "https://mastodon.social/@northernlights/112034567890123456",
        title: "Last night over Tromsø. #aurora #photography",
        author: "Ingrid ❄️ Northern Lights",
      },
      {
        remoteId: "112034500001",
        mediaType: "video",
        mediaUrl: "https://files.mastodon.social/cache/media_attachments/files/112/034/500/001/original/aa11bb22cc33dd44.mp4",
        thumbnailUrl: "https://files.mastodon.social/cache/media_attachments/files/112/034/500/001/small/aa11bb22cc33dd44.png",
        pageUrl: "https://photog.social/@nightowl/112034499000000000",
        title: "Aurora timelapse",
        author: "nightowl@photog.social",
      },
      {
        // a gifv is an MP4; not cached locally, so the remote original is used
        remoteId: "112034400001",
        mediaType: "video",
        mediaUrl: "https://media.sfba.social/media_attachments/files/112/034/400/001/original/5e6f7a8b9c0d1e2f.mp4",
        thumbnailUrl: "https://files.mastodon.social/cache/media_attachments/files/112/034/400/001/small/5e6f7a8b9c0d1e2f.png",
        pageUrl: "https://sfba.social/@skywatch/112034399000000000",
        title: expect.stringMatching(/^Auroras are wild tonight!! So many colours, .{60,}…$/),
        author: "Sky Watch",
      },
      // audio and an unknown (unprocessed) HEIC attachment are reported as dropped
    ]);
    expect(page.dropped).toEqual([
      { remoteId: "112034400002", reason: "audio, which Trawl does not collect" },
      { remoteId: "112034300001", reason: "an attachment the instance could not process (a .heic file, which Trawl cannot store)" },
    ]);
    expect(page.items[3].title).toHaveLength(120);
    expect(page.nextCursor).toBeNull();
  });

  it("turns the query into one hashtag and refuses a query without one", async () => {
    expect(hashtagOf("#Aurora Borealis!")).toBe("AuroraBorealis");
    expect(hashtagOf("Nordlicht_2024 ✨")).toBe("Nordlicht_2024");
    const { source, server } = await mastodonWith(mastodonApi);
    await source.search(request({ query: "#Aurora Borealis" }), server.context);
    expect(server.requests[0].path).toBe("/api/v1/timelines/tag/AuroraBorealis");
    const error = await expectSourceError(
      source.search(request({ query: " #!? " }), server.context),
      /^mastodon\.social: the query must name a hashtag/,
    );
    expect(error.retryable).toBe(false);
    expect(server.requests).toHaveLength(1);
  });

  it("drops statuses marked sensitive under safe search and honours the media type filter", async () => {
    const { source, server } = await mastodonWith(mastodonApi);
    const safe = await source.search(request({ safeSearch: true }), server.context);
    expect(safe.items.map((i) => i.remoteId)).toEqual(["112034567001", "112034567002", "112034400001"]);
    expect(safe.dropped?.[0]).toEqual({ remoteId: "112034500000000000", reason: "marked sensitive (safe search is on)" });
    const images = await source.search(request({ mediaTypes: "images" }), server.context);
    expect(images.items.map((i) => i.remoteId)).toEqual(["112034567001", "112034567002"]);
    expect(images.dropped?.filter((d) => d.reason.startsWith("a video"))).toEqual([
      { remoteId: "112034500001", reason: "a video (the job asks for images only)" },
      { remoteId: "112034400001", reason: "a video (the job asks for images only)" },
    ]);
    const videos = await source.search(request({ mediaTypes: "videos" }), server.context);
    expect(videos.items.map((i) => i.remoteId)).toEqual(["112034500001", "112034400001"]);
  });

  it("pages with max_id = the oldest status, resuming inside a page at the limit", async () => {
    const { source, server } = await mastodonWith(mastodonApi);
    const { ids, cursors } = await walkPages(source, request({ query: "deep", limit: 50 }), server.context);

    // 25 statuses of two images each make the first 50 items: the cursor's skip counts statuses; max_id is a token ("~")
    expect(cursors).toEqual(["~:25", "~900961", null]);
    expect(server.requests.map((r) => r.params.get("max_id"))).toEqual([null, null, "900961"]);
    expect(ids).toHaveLength(80 + 4);
    expect(new Set(ids).size).toBe(84);
    await expectSourceError(
      source.search(request({ cursor: "not a cursor" }), server.context),
      /^mastodon\.social: invalid cursor "not a cursor"$/,
    );
  });

  it("reports HTTP failures, malformed JSON and missing fields as SourceErrors naming the instance", async () => {
    const noSensitive = statuses();
    delete noSensitive[2].sensitive;
    const { source, server } = await mastodonWith(
      repliesBy(({ path }) => path.split("/").pop(), {
        // an instance that disabled the public hashtag preview
        private: { status: 401, body: { error: "This API requires an authenticated user" } },
        down: { status: 500, body: { error: "We're sorry, but something went wrong on our end." } },
        throttled: { status: 429, headers: { "retry-after": "300" }, body: { error: "Too many requests" } },
        badjson: notJson('[{"id": "1"'),
        nosensitive: { body: noSensitive },
        object: { body: { error: "Record not found" } },
      }),
    );
    const search = (query: string) => source.search(request({ query }), server.context);

    const denied = await expectSourceError(search("private"), /^mastodon\.social: HTTP 401 from 127\.0\.0\.1:\d+$/);
    expect(denied.retryable).toBe(false);
    const down = await expectSourceError(search("down"), /^mastodon\.social: HTTP 500 from /);
    expect(down.retryable).toBe(true);
    const throttled = await expectSourceError(search("throttled"), /^mastodon\.social: HTTP 429 from /);
    expect(throttled.retryAfterMs).toBe(300_000);
    await expectSourceError(search("gone"), /^mastodon\.social: HTTP 404 from /);
    await expectSourceError(search("badjson"), /^mastodon\.social: malformed JSON from /);
    // a status without "sensitive" is dropped alone (it used to fail the page); the other statuses are kept
    const noSensitivePage = await search("nosensitive");
    expect(noSensitivePage.items.map((i) => i.remoteId)).toEqual(["112034567001", "112034567002", "112034500001"]);
    expect(noSensitivePage.dropped).toEqual([
      { remoteId: "112034400000000000", reason: "a malformed record (missing sensitive)" },
      { remoteId: "112034300001", reason: "an attachment the instance could not process (a .heic file, which Trawl cannot store)" },
    ]);
    await expectSourceError(search("object"), /^mastodon\.social: malformed response \(body: /);
  });
});

// A real response, recorded by someone else: mastodon.social's GET /api/v1/timelines/public of 2020-04-16, kept by
// tootkit's tests (Tests/TootKitTests/Mocks/Data+PublicTimeline.swift; see
// tests/fixtures/sources/mastodon-recorded-public-2020.provenance.md). Five of its 20 statuses, unedited: two with
// a cached image, one sensitive without media, one sensitive with two "unknown" (unprocessed) remote PNGs, one
// without media. The public and tag timelines answer with the same Status entities.
describe("Mastodon adapter on a recorded timeline", () => {
  const recorded = () => fixtureJson<Status[]>("mastodon-recorded-public-2020.json");
  const recordedApi: FixtureHandler = ({ path }) => (path === "/api/v1/timelines/tag/aurora" ? { body: recorded() } : undefined);

  it("turns the 4 attachments of 5 statuses into items, the unprocessed ones from their remote originals, and reports the rest", async () => {
    const { source, server } = await mastodonWith(recordedApi);
    const page = await source.search(request(), server.context);
    const statusesSeen = recorded();
    expect(statusesSeen).toHaveLength(5);
    expect(statusesSeen.flatMap((s) => s.media_attachments)).toHaveLength(4);
    expect(page.items).toHaveLength(4);
    expect(page.items[0]).toEqual({
      remoteId: "27576897",
      mediaType: "image",
      // the instance's cached original (1707x960), not the small preview
      mediaUrl: "https://files.mastodon.social/media_attachments/files/027/576/897/original/37511ce578c30a1d.png",
      thumbnailUrl: "https://files.mastodon.social/media_attachments/files/027/576/897/small/37511ce578c30a1d.png",
      pageUrl: "https://botsin.space/@screenmunger/104009339627859846",
      title: "Y 2020-04-16 19:00:00",
      author: "Screen Munger",
    });
    // "unknown": the media proxy URL is not a file yet; remote_url is the original PNG on pawoo.net.
    expect(page.items.slice(1, 3)).toEqual([
      expect.objectContaining({
        remoteId: "27576898",
        mediaType: "image",
        mediaUrl: "https://img.pawoo.net/media_attachments/files/026/530/786/original/8a0875abf7628c85.png",
        author: "ひろろ",
      }),
      expect.objectContaining({
        remoteId: "27576899",
        mediaUrl: "https://img.pawoo.net/media_attachments/files/026/530/789/original/d6fdf47a964cb859.png",
      }),
    ]);
    expect(page.items[3]).toMatchObject({ remoteId: "27576894", author: "Wiki Titles Singable to TMNT" });
    expect(page.dropped).toEqual([
      { remoteId: "104009345973121628", reason: "no media attachments" },
      { remoteId: "104009345553581733", reason: "no media attachments" },
    ]);
    // 5 statuses: 3 with media give 4 items, 2 without are dropped.
    expect(page.nextCursor).toBeNull();
  });

  it("under safe search reports the sensitive statuses instead", async () => {
    const { source, server } = await mastodonWith(recordedApi);
    const page = await source.search(request({ safeSearch: true }), server.context);
    expect(page.items.map((i) => i.remoteId)).toEqual(["27576897", "27576894"]);
    expect(page.dropped).toEqual([
      { remoteId: "104009345973121628", reason: "no media attachments" },
      { remoteId: "104009345553581733", reason: "marked sensitive (safe search is on)" },
      { remoteId: "104009345528780573", reason: "marked sensitive (safe search is on)" },
    ]);
  });
});
