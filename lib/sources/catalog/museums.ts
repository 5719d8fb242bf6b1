import { createArtic } from "@/lib/sources/artic";
import { createCleveland } from "@/lib/sources/cleveland";
import { createDpla } from "@/lib/sources/dpla";
import { createEuropeana } from "@/lib/sources/europeana";
import { createGbif } from "@/lib/sources/gbif";
import { createInaturalist } from "@/lib/sources/inaturalist";
import { createInternetArchive } from "@/lib/sources/internet-archive";
import { createLoc } from "@/lib/sources/loc";
import { createMet } from "@/lib/sources/met";
import { createNasa } from "@/lib/sources/nasa";
import { createRijksmuseum } from "@/lib/sources/rijksmuseum";
import { sourceBaseUrl } from "@/lib/sources/settings";
import { createSmithsonian } from "@/lib/sources/smithsonian";
import type { SourceAdapter } from "@/lib/sources/types";
import { createWellcome } from "@/lib/sources/wellcome";

// Museums, archives, libraries and science collections. Base URLs are read when a search runs.

export const museumSources: SourceAdapter[] = [
  createNasa({
    id: "nasa-images",
    name: "NASA Image and Video Library",
    apiUrl: () => sourceBaseUrl("nasa-images", "https://images-api.nasa.gov"),
  }),
  createInternetArchive({
    id: "internet-archive",
    name: "Internet Archive",
    apiUrl: () => sourceBaseUrl("internet-archive", "https://archive.org"),
  }),
  createLoc({
    id: "loc-photos",
    name: "Library of Congress",
    apiUrl: () => sourceBaseUrl("loc-photos", "https://www.loc.gov"),
  }),
  createMet({
    id: "met-museum",
    name: "The Met",
    apiUrl: () => sourceBaseUrl("met-museum", "https://collectionapi.metmuseum.org/public/collection"),
  }),
  createArtic({
    id: "artic",
    name: "Art Institute of Chicago",
    apiUrl: () => sourceBaseUrl("artic", "https://api.artic.edu/api/v1"),
  }),
  createRijksmuseum({
    id: "rijksmuseum",
    name: "Rijksmuseum",
    apiUrl: () => sourceBaseUrl("rijksmuseum", "https://data.rijksmuseum.nl"),
  }),
  createCleveland({
    id: "cleveland-museum",
    name: "Cleveland Museum of Art",
    apiUrl: () => sourceBaseUrl("cleveland-museum", "https://openaccess-api.clevelandart.org/api"),
  }),
  createWellcome({
    id: "wellcome-collection",
    name: "Wellcome Collection",
    apiUrl: () => sourceBaseUrl("wellcome-collection", "https://api.wellcomecollection.org/catalogue/v2"),
  }),
  createInaturalist({
    id: "inaturalist",
    name: "iNaturalist",
    apiUrl: () => sourceBaseUrl("inaturalist", "https://api.inaturalist.org/v1"),
  }),
  createGbif({
    id: "gbif",
    name: "GBIF",
    apiUrl: () => sourceBaseUrl("gbif", "https://api.gbif.org/v1"),
  }),
  createSmithsonian({
    id: "smithsonian",
    name: "Smithsonian Open Access",
    apiUrl: () => sourceBaseUrl("smithsonian", "https://api.si.edu/openaccess/api/v1.0"),
  }),
  createEuropeana({
    id: "europeana",
    name: "Europeana",
    apiUrl: () => sourceBaseUrl("europeana", "https://api.europeana.eu/record/v2"),
  }),
  createDpla({
    id: "dpla",
    name: "DPLA",
    apiUrl: () => sourceBaseUrl("dpla", "https://api.dp.la/v2"),
  }),
];
