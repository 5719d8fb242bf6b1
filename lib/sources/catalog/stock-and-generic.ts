import { createFeed } from "@/lib/sources/feed";
import { createFlickr } from "@/lib/sources/flickr";
import { createGiphy } from "@/lib/sources/giphy";
import { createImgur } from "@/lib/sources/imgur";
import { createMediaWiki } from "@/lib/sources/mediawiki";
import { createPexels } from "@/lib/sources/pexels";
import { createPixabay } from "@/lib/sources/pixabay";
import { sourceBaseUrl } from "@/lib/sources/settings";
import { createSitemap } from "@/lib/sources/sitemap";
import type { SourceAdapter } from "@/lib/sources/types";
import { createUnsplash, UNSPLASH_API_URL } from "@/lib/sources/unsplash";

// Stock photo APIs, GIFs, wikis and generic feeds. Tenor is left out: Google shut the Tenor
// API down on 30 June 2026 (no new keys since 13 January 2026).

/** Wikipedia language editions: subdomain and English name. */
const WIKIPEDIAS: [lang: string, language: string][] = [
  ["en", "English"],
  ["simple", "Simple English"],
  ["de", "German"],
  ["fr", "French"],
  ["es", "Spanish"],
  ["it", "Italian"],
  ["pt", "Portuguese"],
  ["nl", "Dutch"],
  ["pl", "Polish"],
  ["ru", "Russian"],
  ["uk", "Ukrainian"],
  ["ja", "Japanese"],
  ["zh", "Chinese"],
  ["ko", "Korean"],
  ["ar", "Arabic"],
  ["fa", "Persian"],
  ["he", "Hebrew"],
  ["tr", "Turkish"],
  ["sv", "Swedish"],
  ["no", "Norwegian (Bokmål)"],
  ["da", "Danish"],
  ["fi", "Finnish"],
  ["cs", "Czech"],
  ["sk", "Slovak"],
  ["hu", "Hungarian"],
  ["ro", "Romanian"],
  ["bg", "Bulgarian"],
  ["el", "Greek"],
  ["sr", "Serbian"],
  ["hr", "Croatian"],
  ["sl", "Slovenian"],
  ["lt", "Lithuanian"],
  ["lv", "Latvian"],
  ["et", "Estonian"],
  ["ca", "Catalan"],
  ["eu", "Basque"],
  ["gl", "Galician"],
  ["eo", "Esperanto"],
  ["vi", "Vietnamese"],
  ["id", "Indonesian"],
  ["ms", "Malay"],
  ["th", "Thai"],
  ["hi", "Hindi"],
  ["bn", "Bengali"],
  ["ta", "Tamil"],
  ["ur", "Urdu"],
  ["ka", "Georgian"],
  ["hy", "Armenian"],
  ["az", "Azerbaijani"],
  ["kk", "Kazakh"],
];

function wikipedia([lang, language]: [string, string]): SourceAdapter {
  const id = `wikipedia-${lang}`;
  return createMediaWiki({
    id,
    name: `Wikipedia (${language})`,
    apiUrl: () => sourceBaseUrl(id, `https://${lang}.wikipedia.org/w/api.php`),
    homepage: `https://${lang}.wikipedia.org/`,
    description: `Lead images of ${language} Wikipedia articles matching the search.`,
  });
}

/** Other Wikimedia projects: all run MediaWiki with PageImages at /w/api.php. */
const OTHER_WIKIS: { id: string; name: string; host: string; description: string }[] = [
  {
    id: "wikivoyage-en",
    name: "Wikivoyage (English)",
    host: "en.wikivoyage.org",
    description: "Lead images of English Wikivoyage travel guides matching the search.",
  },
  {
    id: "wikivoyage-de",
    name: "Wikivoyage (German)",
    host: "de.wikivoyage.org",
    description: "Lead images of German Wikivoyage travel guides matching the search.",
  },
  {
    id: "wikispecies",
    name: "Wikispecies",
    host: "species.wikimedia.org",
    description: "Lead images of Wikispecies taxon pages matching the search.",
  },
  {
    id: "wikibooks-en",
    name: "Wikibooks (English)",
    host: "en.wikibooks.org",
    description: "Lead images of English Wikibooks pages matching the search.",
  },
  {
    id: "wikiversity-en",
    name: "Wikiversity (English)",
    host: "en.wikiversity.org",
    description: "Lead images of English Wikiversity pages matching the search.",
  },
  {
    id: "wikinews-en",
    name: "Wikinews (English)",
    host: "en.wikinews.org",
    description: "Lead images of English Wikinews articles matching the search (the project is archived, read-only since May 2026).",
  },
];

export const stockAndGenericSources: SourceAdapter[] = [
  createPexels({ id: "pexels", name: "Pexels", apiUrl: () => sourceBaseUrl("pexels", "https://api.pexels.com") }),
  createPixabay({ id: "pixabay", name: "Pixabay", apiUrl: () => sourceBaseUrl("pixabay", "https://pixabay.com/api") }),
  createUnsplash({ id: "unsplash", name: "Unsplash", apiUrl: () => sourceBaseUrl("unsplash", UNSPLASH_API_URL) }),
  createFlickr({ id: "flickr", name: "Flickr", apiUrl: () => sourceBaseUrl("flickr", "https://api.flickr.com/services/rest") }),
  createGiphy({ id: "giphy", name: "GIPHY", apiUrl: () => sourceBaseUrl("giphy", "https://api.giphy.com/v1") }),
  createImgur({ id: "imgur", name: "Imgur", apiUrl: () => sourceBaseUrl("imgur", "https://api.imgur.com/3") }),
  ...WIKIPEDIAS.map(wikipedia),
  ...OTHER_WIKIS.map(({ id, name, host, description }) =>
    createMediaWiki({ id, name, apiUrl: () => sourceBaseUrl(id, `https://${host}/w/api.php`), homepage: `https://${host}/`, description }),
  ),
  createFeed({ id: "feed", name: "RSS / Atom / JSON Feed" }),
  createSitemap({ id: "sitemap", name: "Sitemap images and videos" }),
];
