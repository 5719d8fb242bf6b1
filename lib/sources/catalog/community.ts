import { createDanbooru } from "@/lib/sources/danbooru";
import { createE621 } from "@/lib/sources/e621";
import { createGelbooru, GELBOORU_KEY } from "@/lib/sources/gelbooru";
import { createMastodon } from "@/lib/sources/mastodon";
import { createMoebooru } from "@/lib/sources/moebooru";
import { createPeerTube } from "@/lib/sources/peertube";
import { createReddit } from "@/lib/sources/reddit";
import { sourceBaseUrl } from "@/lib/sources/settings";
import type { SourceAdapter } from "@/lib/sources/types";

// Boorus, video platforms and social networks. Instance entries (PeerTube, Mastodon) are
// long-running public servers; each is its own entry so it can be enabled, rate-limited and
// pointed elsewhere (TRAWL_URL_<ID>) on its own.

/** "framatube.org" -> "framatube-org". */
const idOf = (host: string) => host.replace(/\./g, "-");

const boorus: SourceAdapter[] = [
  createDanbooru({ id: "danbooru", name: "Danbooru", apiUrl: () => sourceBaseUrl("danbooru", "https://danbooru.donmai.us") }),
  createGelbooru({
    id: "safebooru",
    name: "Safebooru",
    description: "Safe-for-work anime art board (Gelbooru engine) searched by tags; questionable posts are dropped under safe search.",
    homepage: "https://safebooru.org/",
    apiUrl: () => sourceBaseUrl("safebooru", "https://safebooru.org"),
  }),
  createGelbooru({
    id: "gelbooru",
    name: "Gelbooru",
    description: "Large anime art board searched by tags; includes mature content unless safe search is on.",
    homepage: "https://gelbooru.com/",
    apiUrl: () => sourceBaseUrl("gelbooru", "https://gelbooru.com"),
    safeSearchTag: "rating:general",
    key: GELBOORU_KEY,
  }),
  createE621({
    id: "e621",
    name: "e621",
    description: "Furry art board searched by tags; mostly adult content, limited to rating:s under safe search.",
    homepage: "https://e621.net/",
    apiUrl: () => sourceBaseUrl("e621", "https://e621.net"),
  }),
  createE621({
    id: "e926",
    name: "e926",
    description: "The safe-for-work mirror of e621 (rating:s posts only), searched by tags.",
    homepage: "https://e926.net/",
    apiUrl: () => sourceBaseUrl("e926", "https://e926.net"),
    sfwOnly: true,
  }),
  createMoebooru({
    id: "yande-re",
    name: "yande.re",
    description: "High-resolution anime illustrations and scans searched by tags; includes mature content unless safe search is on.",
    homepage: "https://yande.re/",
    apiUrl: () => sourceBaseUrl("yande-re", "https://yande.re"),
  }),
  createMoebooru({
    id: "konachan-com",
    name: "Konachan.com",
    description: "Anime wallpapers searched by tags; includes mature content unless safe search is on.",
    homepage: "https://konachan.com/",
    apiUrl: () => sourceBaseUrl("konachan-com", "https://konachan.com"),
  }),
  createMoebooru({
    id: "konachan-net",
    name: "Konachan.net",
    description: "The safe-for-work side of Konachan: anime wallpapers searched by tags.",
    homepage: "https://konachan.net/",
    apiUrl: () => sourceBaseUrl("konachan-net", "https://konachan.net"),
    sfwOnly: true,
  }),
];

/** Public PeerTube instances that have been online for years (all listed by yt-dlp since 2021 or later). */
const PEERTUBE_INSTANCES: { host: string; about: string }[] = [
  { host: "framatube.org", about: "Framasoft's instance, home of PeerTube's own videos" },
  { host: "video.blender.org", about: "the Blender Foundation's videos" },
  { host: "tilvids.com", about: "educational and how-to videos" },
  { host: "peertube.tv", about: "a general-purpose instance" },
  { host: "diode.zone", about: "electronics, making and hacking" },
  { host: "tube.tchncs.de", about: "a general-purpose instance run by tchncs" },
  { host: "videos.lukesmith.xyz", about: "Luke Smith's videos on Linux and more" },
  { host: "peertube.mastodon.host", about: "a general-purpose instance" },
  { host: "makertube.net", about: "maker and DIY videos" },
  { host: "peertube.debian.social", about: "Debian community videos" },
  { host: "video.linux.it", about: "Italian Linux community videos" },
  { host: "toobnix.org", about: "Unix, Linux and free software videos" },
  { host: "kolektiva.media", about: "grassroots and activist media" },
  { host: "fediverse.tv", about: "a general-purpose instance" },
  { host: "tube.shanti.cafe", about: "a general-purpose instance" },
  { host: "media.privacyinternational.org", about: "Privacy International's videos" },
  { host: "peertube.linuxrocks.online", about: "Linux and open source videos" },
  { host: "spectra.video", about: "a general-purpose instance" },
  { host: "videos.domainepublic.net", about: "a French community instance" },
  { host: "tube.picasoft.net", about: "Picasoft's instance" },
  { host: "peertube.opencloud.lu", about: "a general-purpose instance in Luxembourg" },
  { host: "videos.scanlines.xyz", about: "retro computing and video art" },
  { host: "video.tedomum.net", about: "the TeDomum association's instance" },
];

const video: SourceAdapter[] = [
  createPeerTube({
    id: "sepiasearch",
    name: "SepiaSearch",
    description: "PeerTube's global search index across public instances; each video is fetched from its own instance.",
    homepage: "https://sepiasearch.org/",
    apiUrl: () => sourceBaseUrl("sepiasearch", "https://sepiasearch.org"),
    index: true,
  }),
  ...PEERTUBE_INSTANCES.map(({ host, about }) =>
    createPeerTube({
      id: idOf(host),
      name: `${host} (PeerTube)`,
      description: `Videos on ${host}, ${about} (its own and federated videos).`,
      homepage: `https://${host}/`,
      apiUrl: () => sourceBaseUrl(idOf(host), `https://${host}`),
    }),
  ),
];

/** Large public Mastodon instances whose hashtag timelines are usually readable without a login. */
const MASTODON_INSTANCES = [
  "mastodon.social",
  "mastodon.online",
  "mastodon.world",
  "mstdn.social",
  "mas.to",
  "fosstodon.org",
  "hachyderm.io",
  "infosec.exchange",
  "ioc.exchange",
  "techhub.social",
  "troet.cafe",
  "chaos.social",
  "social.tchncs.de",
  "mastodon.art",
  "mstdn.jp",
  "social.vivaldi.net",
  "universeodon.com",
  "mastodonapp.uk",
  "mastodon.scot",
  "aus.social",
  "mastodon.nz",
];

const social: SourceAdapter[] = [
  createReddit({ id: "reddit", apiUrl: () => sourceBaseUrl("reddit", "https://www.reddit.com") }),
  ...MASTODON_INSTANCES.map((host) =>
    createMastodon({
      id: idOf(host),
      name: `${host} (Mastodon)`,
      description: `Images and videos posted on ${host} under the hashtag made from the query (statuses marked sensitive are dropped under safe search).`,
      homepage: `https://${host}/`,
      apiUrl: () => sourceBaseUrl(idOf(host), `https://${host}`),
    }),
  ),
];

export const communitySources: SourceAdapter[] = [...boorus, ...video, ...social];
