import type { E2eResponder } from "./types";

// Small valid answers from the booru, Mastodon and Reddit APIs whose media live on the fixture
// site: Danbooru 1100–1102, Safebooru 1200–1202, e621 1300–1302, yande.re 1400–1402,
// mastodon.social 1500–1502, Reddit 1600–1602. Every post is rated safe, since the e2e job
// keeps safe search on. (PeerTube gives videos only and Gelbooru needs a "<user_id>:<api_key>"
// key, so neither fits the e2e's images job.)

const image = (media: string, n: number) => `${media}/media/image-${n}.png`;

const danbooru: E2eResponder = ({ path }, { media }) => {
  if (path !== "/posts.json") return undefined;
  const body = [1100, 1101, 1102].map((n) => ({
    id: 7_000_000 + n,
    rating: "g",
    file_ext: "png",
    file_url: image(media, n),
    large_file_url: image(media, n),
    preview_file_url: image(media, n),
    tag_string: "aurora night_sky original",
    tag_string_artist: `artist_${n}`,
    tag_string_character: "",
    tag_string_copyright: "original",
  }));
  return { body };
};

const safebooru: E2eResponder = ({ path, params }, { media }) => {
  if (path !== "/index.php" || params.get("page") !== "dapi") return undefined;
  const body = [1200, 1201, 1202].map((n) => ({
    id: 5_000_000 + n,
    file_url: image(media, n),
    preview_url: image(media, n),
    sample_url: image(media, n),
    directory: 4921,
    image: `image-${n}.png`,
    rating: "general",
    tags: "aurora night_sky",
    owner: "danbooru",
    width: 320,
    height: 200,
  }));
  return { body };
};

const e621: E2eResponder = ({ path }, { media }) => {
  if (path !== "/posts.json") return undefined;
  const posts = [1300, 1301, 1302].map((n) => ({
    id: 4_000_000 + n,
    rating: "s",
    // No size or md5: the fixture site renders its images, and the adapter checks downloads against them.
    file: { width: 320, height: 200, ext: "png", url: image(media, n) },
    preview: { width: 150, height: 94, url: image(media, n) },
    sample: { has: false, width: 320, height: 200, url: image(media, n), alternates: {} },
    tags: { general: ["aurora"], artist: [`artist_${n}`], character: [], copyright: [], species: [], meta: [] },
  }));
  return { body: { posts } };
};

const yandere: E2eResponder = ({ path }, { media }) => {
  if (path !== "/post.json") return undefined;
  const body = [1400, 1401, 1402].map((n) => ({
    id: 1_100_000 + n,
    tags: "aurora landscape",
    rating: "s",
    author: "uploader",
    file_url: image(media, n),
    preview_url: image(media, n),
    sample_url: image(media, n),
    jpeg_url: image(media, n),
    width: 320,
    height: 200,
  }));
  return { body };
};

const mastodon: E2eResponder = ({ path }, { media }) => {
  if (!path.startsWith("/api/v1/timelines/tag/")) return undefined;
  const body = [1500, 1501, 1502].map((n) => ({
    id: `11200000000000${n}`,
    uri: `https://mastodon.social/users/aurora_fan/statuses/${n}`,
    url: `https://mastodon.social/@aurora_fan/${n}`,
    sensitive: false,
    spoiler_text: "",
    content: `<p>Aurora photo ${n} <a href="https://mastodon.social/tags/aurora" class="mention hashtag" rel="tag">#<span>aurora</span></a></p>`,
    account: { acct: "aurora_fan", display_name: "Aurora Fan", url: "https://mastodon.social/@aurora_fan" },
    media_attachments: [
      {
        id: String(900_000 + n),
        type: "image",
        url: image(media, n),
        preview_url: image(media, n),
        remote_url: null,
        description: `Aurora ${n}`,
      },
    ],
  }));
  return { body };
};

const reddit: E2eResponder = ({ path }, { media }) => {
  if (path !== "/search.json") return undefined;
  const children = [1600, 1601, 1602].map((n) => ({
    kind: "t3",
    data: {
      id: `e2e${n}`,
      name: `t3_e2e${n}`,
      title: `Aurora ${n} [OC]`,
      author: `photographer_${n}`,
      permalink: `/r/EarthPorn/comments/e2e${n}/aurora_${n}/`,
      url: image(media, n),
      over_18: false,
      post_hint: "image",
      is_video: false,
      media: null,
      secure_media: null,
      thumbnail: image(media, n),
    },
  }));
  return { body: { kind: "Listing", data: { after: null, dist: 3, modhash: "", geo_filter: "", children, before: null } } };
};

export const e2eResponders: Record<string, E2eResponder> = {
  danbooru,
  safebooru,
  e621,
  "yande-re": yandere,
  "mastodon-social": mastodon,
  reddit,
};
