import type { E2eResponder } from "./types";

// Small valid answers from the Wikimedia Commons and Openverse APIs whose media live on the
// fixture site (images 500–502 and 600–602).

const commons: E2eResponder = ({ params }, { media }) => {
  if (params.get("action") !== "query") return undefined;
  if (params.get("gsrsearch")?.startsWith("filetype:video")) return { body: { batchcomplete: true } };
  const pages = [500, 501, 502].map((n, index) => ({
    pageid: 9_000_000 + n,
    ns: 6,
    title: `File:Aurora ${n}.png`,
    index: index + 1,
    imageinfo: [
      {
        url: `${media}/media/image-${n}.png`,
        thumburl: `${media}/media/image-${n}.png`,
        descriptionurl: `https://commons.wikimedia.org/wiki/File:Aurora_${n}.png`,
        mime: "image/png",
        size: 4000,
        width: 320,
        height: 200,
        extmetadata: {
          Artist: { value: `<a href="//commons.wikimedia.org/wiki/User:Photographer">Photographer ${n}</a>` },
          LicenseShortName: { value: "CC BY-SA 4.0" },
          LicenseUrl: { value: "https://creativecommons.org/licenses/by-sa/4.0" },
        },
      },
    ],
  }));
  return { body: { batchcomplete: true, query: { pages } } };
};

const openverse: E2eResponder = ({ path }, { media }) => {
  if (path !== "/images/") return undefined;
  const results = [600, 601, 602].map((n) => ({
    id: `00000000-0000-4000-8000-000000000${n}`,
    title: `Aurora ${n}`,
    url: `${media}/media/image-${n}.png`,
    thumbnail: `${media}/media/image-${n}.png`,
    creator: `Creator ${n}`,
    license: "by",
    license_version: "4.0",
    license_url: "https://creativecommons.org/licenses/by/4.0/",
    foreign_landing_url: `https://www.flickr.com/photos/example/${n}`,
  }));
  return { body: { result_count: 3, page_count: 1, page_size: 20, page: 1, results, warnings: [] } };
};

export const e2eResponders: Record<string, E2eResponder> = { "wikimedia-commons": commons, openverse };
