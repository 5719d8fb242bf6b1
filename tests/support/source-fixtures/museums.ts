import type { E2eResponder } from "./types";

// Small valid answers from the museum, archive and science APIs whose media live on the fixture
// site: images 4100–4102 (NASA), 4200–4202 (The Met), 4300–4302 (Cleveland), 4400–4402 (Library
// of Congress), 4500–4502 (iNaturalist), 4600–4602 (GBIF), 4700–4702 (Europeana), 4800–4802
// (DPLA), 4900–4902 (Smithsonian) and 5000–5002 (Rijksmuseum).

const three = (start: number) => [start, start + 1, start + 2];

const nasa: E2eResponder = ({ path, params }, { api, media }) => {
  const manifest = /^\/assets\/aurora-(\d+)\/collection\.json$/.exec(path)?.[1];
  if (manifest) return { body: [`${media}/media/image-${manifest}.png`] };
  if (path !== "/search") return undefined;
  const wantsImages = (params.get("media_type") ?? "").split(",").includes("image");
  const items = wantsImages
    ? three(4100).map((n) => ({
        href: `${api}/nasa-images/assets/aurora-${n}/collection.json`,
        data: [{ nasa_id: `aurora-${n}`, media_type: "image", title: `Aurora ${n}`, center: "JSC", photographer: `Astronaut ${n}` }],
        links: [{ href: `${media}/media/image-${n}.png`, rel: "preview", render: "image" }],
      }))
    : [];
  return { body: { collection: { version: "1.0", href: `${api}/nasa-images/search`, items, metadata: { total_hits: items.length } } } };
};

const met: E2eResponder = ({ path, params }, { media }) => {
  if (path === "/v1.1/search") {
    const ids = three(4200).slice(Number(params.get("offset") ?? 0));
    return { body: { total: 3, objectIDs: ids.length ? ids : null } };
  }
  const id = /^\/v1\/objects\/(\d+)$/.exec(path)?.[1];
  if (!id || !three(4200).includes(Number(id))) return undefined;
  return {
    body: {
      objectID: Number(id),
      isPublicDomain: true,
      primaryImage: `${media}/media/image-${id}.png`,
      primaryImageSmall: `${media}/media/image-${id}.png`,
      title: `Aurora ${id}`,
      artistDisplayName: `Painter ${id}`,
      objectURL: `https://www.metmuseum.org/art/collection/search/${id}`,
    },
  };
};

const cleveland: E2eResponder = ({ path, params }, { media }) => {
  if (path !== "/artworks/") return undefined;
  const data =
    Number(params.get("skip") ?? 0) > 0
      ? []
      : three(4300).map((n) => ({
          id: n,
          title: `Aurora ${n}`,
          share_license_status: "CC0",
          url: `https://clevelandart.org/art/${n}`,
          creators: [{ description: `Painter ${n} (American, 1900–1980)` }],
          images: { web: { url: `${media}/media/image-${n}.png`, width: "320", height: "200" } },
        }));
  return { body: { info: { total: 3, parameters: {} }, data } };
};

const loc: E2eResponder = ({ path }, { media }) => {
  if (path !== "/photos/") return undefined;
  const results = three(4400).map((n) => ({
    id: `http://www.loc.gov/item/${n}/`,
    url: `https://www.loc.gov/item/${n}/`,
    title: `Aurora ${n}`,
    image_url: [`${media}/media/image-${n}.png#h=200&w=320`],
    item: { contributors: [`Photographer ${n}`], rights_advisory: "No known restrictions on publication." },
  }));
  return { body: { pagination: { current: 1, next: null, of: 3, perpage: 50 }, results } };
};

const inaturalist: E2eResponder = ({ path }, { media }) => {
  if (path !== "/observations") return undefined;
  const results = three(4500).map((n) => ({
    id: n,
    uri: `https://www.inaturalist.org/observations/${n}`,
    species_guess: `Aurora moth ${n}`,
    user: { login: `observer${n}`, name: `Observer ${n}` },
    photos: [
      {
        id: n,
        url: `${media}/media/image-${n}.png`,
        license_code: "cc-by",
        attribution: `(c) Observer ${n}, some rights reserved (CC BY)`,
      },
    ],
  }));
  return { body: { total_results: 3, page: 1, per_page: 50, results } };
};

const gbif: E2eResponder = ({ path }, { media }) => {
  if (path !== "/occurrence/search") return undefined;
  const results = three(4600).map((n) => ({
    key: n,
    scientificName: `Aurora species ${n}`,
    media: [
      {
        type: "StillImage",
        format: "image/png",
        identifier: `${media}/media/image-${n}.png`,
        creator: `Collector ${n}`,
        license: "http://creativecommons.org/licenses/by/4.0/",
      },
    ],
  }));
  return { body: { offset: 0, limit: 50, endOfRecords: true, count: 3, results } };
};

const europeana: E2eResponder = ({ path, params }, { media }) => {
  if (path !== "/search.json") return undefined;
  const items =
    params.get("qf") === "TYPE:IMAGE"
      ? three(4700).map((n) => ({
          id: `/9200000/aurora_${n}`,
          type: "IMAGE",
          title: [`Aurora ${n}`],
          dcCreator: [`Painter ${n}`],
          edmIsShownBy: [`${media}/media/image-${n}.png`],
          edmPreview: [`${media}/media/image-${n}.png`],
          rights: ["http://creativecommons.org/publicdomain/mark/1.0/"],
        }))
      : [];
  return { body: { apikey: "e2e", success: true, itemsCount: items.length, totalResults: items.length, items } };
};

const dpla: E2eResponder = ({ path }, { media }) => {
  if (path !== "/items") return undefined;
  const docs = three(4800).map((n) => ({
    id: `dpla${n}`,
    isShownAt: `https://example-library.org/aurora/${n}`,
    object: `${media}/media/image-${n}.png`,
    rights: "http://rightsstatements.org/vocab/NoC-US/1.0/",
    sourceResource: { title: [`Aurora ${n}`], creator: [`Photographer ${n}`] },
  }));
  return { body: { count: 3, start: 0, limit: 50, docs } };
};

const smithsonian: E2eResponder = ({ path }, { media }) => {
  if (path !== "/search") return undefined;
  const rows = three(4900).map((n) => ({
    id: `edanmdm-e2e_${n}`,
    title: `Aurora ${n}`,
    content: {
      descriptiveNonRepeating: {
        record_link: `https://collections.si.edu/search/detail/edanmdm:e2e_${n}`,
        online_media: {
          media: [{ type: "Images", idsId: `E2E-${n}`, content: `${media}/media/image-${n}.png`, usage: { access: "CC0" } }],
        },
      },
    },
  }));
  return { body: { status: 200, responseCode: 1, response: { rows, rowCount: 3, message: "content found" } } };
};

const rijksmuseum: E2eResponder = ({ path }, { api, media }) => {
  const id = (n: number) => `${api}/rijksmuseum/id/${n}`;
  if (path === "/search/collection") {
    return {
      body: {
        type: "OrderedCollectionPage",
        partOf: { totalItems: 3 },
        orderedItems: three(5000).map((n) => ({ id: id(200_000_000 + n), type: "HumanMadeObject" })),
      },
    };
  }
  const n = Number(/^\/id\/(\d+)$/.exec(path)?.[1]);
  const kind = Math.floor(n / 1_000_000);
  const work = n % 1_000_000;
  if (!three(5000).includes(work)) return undefined;
  if (kind === 200) {
    return {
      body: {
        id: id(n),
        type: "HumanMadeObject",
        identified_by: [
          { type: "Name", content: `Aurora ${work}` },
          { type: "Identifier", content: `SK-A-${work}` },
        ],
        shows: [{ id: id(202_000_000 + work), type: "VisualItem" }],
      },
    };
  }
  if (kind === 202)
    return { body: { id: id(n), type: "VisualItem", digitally_shown_by: [{ id: id(500_000_000 + work), type: "DigitalObject" }] } };
  if (kind === 500) return { body: { id: id(n), type: "DigitalObject", access_point: [{ id: `${media}/media/image-${work}.png` }] } };
  return undefined;
};

export const e2eResponders: Record<string, E2eResponder> = {
  "nasa-images": nasa,
  "met-museum": met,
  "cleveland-museum": cleveland,
  "loc-photos": loc,
  inaturalist,
  gbif,
  europeana,
  dpla,
  smithsonian,
  rijksmuseum,
};
