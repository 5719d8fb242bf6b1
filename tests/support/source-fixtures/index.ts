import { e2eResponders as community } from "./community";
import { e2eResponders as core } from "./core";
import { e2eResponders as museums } from "./museums";
import { e2eResponders as stockAndGeneric } from "./stock-and-generic";

/** Every entry the end-to-end tests can search against a local API, by entry id. */
export const e2eResponders = { ...core, ...museums, ...community, ...stockAndGeneric };

/** The first image number each responder serves (three images from there), so every entry's files differ. */
export const e2eImageRanges: Record<string, number> = {
  "wikimedia-commons": 500,
  openverse: 600,
  danbooru: 1100,
  safebooru: 1200,
  e621: 1300,
  "yande-re": 1400,
  "mastodon-social": 1500,
  reddit: 1600,
  pexels: 2100,
  pixabay: 2200,
  unsplash: 2300,
  flickr: 2400,
  giphy: 2500,
  imgur: 2600,
  "wikipedia-en": 2700,
  "nasa-images": 4100,
  "met-museum": 4200,
  "cleveland-museum": 4300,
  "loc-photos": 4400,
  inaturalist: 4500,
  gbif: 4600,
  europeana: 4700,
  dpla: 4800,
  smithsonian: 4900,
  rijksmuseum: 5000,
};
