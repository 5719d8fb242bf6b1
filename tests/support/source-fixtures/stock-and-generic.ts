import type { E2eResponder } from "./types";

// Small valid answers from the stock, GIF and wiki APIs whose media live on the fixture site:
// Pexels 2100–2102, Pixabay 2200–2202, Unsplash 2300–2302, Flickr 2400–2402, GIPHY
// 2500–2502, Imgur 2600–2602, Wikipedia (English) 2700–2702. Feed and Sitemap work on target
// URLs, which the e2e's query job has none of.

const image = (media: string, n: number) => `${media}/media/image-${n}.png`;
const range = (start: number) => [start, start + 1, start + 2];

const pexels: E2eResponder = ({ path }, { media }) => {
  if (path === "/videos/search") return { body: { page: 1, per_page: 80, total_results: 0, videos: [] } };
  if (path !== "/v1/search") return undefined;
  const photos = range(2100).map((n) => ({
    id: 9_000_000 + n,
    width: 320,
    height: 200,
    url: `https://www.pexels.com/photo/aurora-${9_000_000 + n}/`,
    photographer: `Photographer ${n}`,
    photographer_url: "https://www.pexels.com/@example",
    photographer_id: n,
    avg_color: "#203040",
    src: {
      original: image(media, n),
      large2x: image(media, n),
      large: image(media, n),
      medium: image(media, n),
      small: image(media, n),
      tiny: image(media, n),
    },
    liked: false,
    alt: `Aurora ${n}`,
  }));
  return { body: { total_results: 3, page: 1, per_page: 80, photos } };
};

const pixabay: E2eResponder = ({ path }, { media }) => {
  if (path === "/videos/") return { body: { total: 0, totalHits: 0, hits: [] } };
  if (path !== "/") return undefined;
  const hits = range(2200).map((n) => ({
    id: 8_000_000 + n,
    pageURL: `https://pixabay.com/photos/aurora-${8_000_000 + n}/`,
    type: "photo",
    tags: "aurora, night sky",
    previewURL: image(media, n),
    webformatURL: image(media, n),
    largeImageURL: image(media, n),
    imageWidth: 320,
    imageHeight: 200,
    user_id: n,
    user: `user${n}`,
  }));
  return { body: { total: 3, totalHits: 3, hits } };
};

const unsplash: E2eResponder = ({ path }, { api, media }) => {
  // The download tracking Unsplash's terms require (GET links.download_location).
  const tracked = /^\/photos\/(e2eAurora\d+)\/download$/.exec(path);
  if (tracked) return { body: { url: `https://images.unsplash.com/photo-${tracked[1]}?ixid=e2e` } };
  if (path !== "/search/photos") return undefined;
  const results = range(2300).map((n) => ({
    id: `e2eAurora${n}`,
    width: 320,
    height: 200,
    description: `Aurora ${n}`,
    alt_description: "green aurora over snow",
    urls: { raw: image(media, n), full: image(media, n), regular: image(media, n), small: image(media, n), thumb: image(media, n) },
    links: {
      self: `https://api.unsplash.com/photos/e2eAurora${n}`,
      html: `https://unsplash.com/photos/e2eAurora${n}`,
      download: `https://unsplash.com/photos/e2eAurora${n}/download`,
      download_location: `${api}/unsplash/photos/e2eAurora${n}/download?ixid=e2e`,
    },
    user: { id: `u${n}`, username: `user${n}`, name: `Photographer ${n}` },
  }));
  return { body: { total: 3, total_pages: 1, results } };
};

const flickr: E2eResponder = ({ path, params }, { media }) => {
  if (path !== "/" || params.get("method") !== "flickr.photos.search") return undefined;
  const photo = range(2400).map((n) => ({
    id: String(50_000_000_000 + n),
    owner: "12345678@N00",
    secret: "abcdef0123",
    server: "65535",
    farm: 66,
    title: `Aurora ${n}`,
    ispublic: 1,
    isfriend: 0,
    isfamily: 0,
    license: "4",
    ownername: `Photographer ${n}`,
    url_o: image(media, n),
    url_n: image(media, n),
  }));
  return { body: { photos: { page: 1, pages: 1, perpage: 100, total: 3, photo }, stat: "ok" } };
};

const giphy: E2eResponder = ({ path }, { media }) => {
  if (path !== "/gifs/search") return undefined;
  const data = range(2500).map((n) => ({
    type: "gif",
    id: `e2eGif${n}`,
    url: `https://giphy.com/gifs/aurora-e2eGif${n}`,
    title: `Aurora GIF ${n}`,
    rating: "g",
    username: `giphy${n}`,
    images: { original: { url: image(media, n), width: "320", height: "200" }, fixed_width_small: { url: image(media, n) } },
  }));
  return { body: { data, pagination: { total_count: 3, count: 3, offset: 0 }, meta: { status: 200, msg: "OK", response_id: "e2e" } } };
};

const imgur: E2eResponder = ({ path }, { media }) => {
  const match = /^\/gallery\/search\/top\/all\/(\d+)$/.exec(path);
  if (!match) return undefined;
  if (match[1] !== "0") return { body: { data: [], success: true, status: 200 } };
  const data = range(2600).map((n) => ({
    id: `e2eImg${n}`,
    title: `Aurora ${n}`,
    type: "image/png",
    animated: false,
    width: 320,
    height: 200,
    link: image(media, n),
    nsfw: false,
    is_album: false,
    account_url: `user${n}`,
  }));
  return { body: { data, success: true, status: 200 } };
};

const wikipediaEn: E2eResponder = ({ path, params }, { media }) => {
  if (path !== "/" || params.get("action") !== "query") return undefined;
  const pages = range(2700).map((n, index) => ({
    pageid: 70_000 + n,
    ns: 0,
    title: `Aurora ${n}`,
    index: index + 1,
    fullurl: `https://en.wikipedia.org/wiki/Aurora_${n}`,
    thumbnail: { source: image(media, n), width: 320, height: 200 },
    original: { source: image(media, n), width: 320, height: 200 },
    pageimage: `Aurora_${n}.png`,
  }));
  return { body: { batchcomplete: true, query: { pages } } };
};

export const e2eResponders: Record<string, E2eResponder> = {
  pexels,
  pixabay,
  unsplash,
  flickr,
  giphy,
  imgur,
  "wikipedia-en": wikipediaEn,
};
