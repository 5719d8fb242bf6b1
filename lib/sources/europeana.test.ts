import { describe, expect, it } from "vitest";
import { createEuropeana } from "@/lib/sources/europeana";
import { fixtureJson, type FixtureHandler } from "@/tests/support/source-test-server";
import { adapterPerTest, expectRequest, expectSourceError, searchRequest, walkPages } from "@/tests/support/source-test-kit";

const NAME = "Europeana";
const KEY = "europeana-test-key";
const PAGE2_CURSOR = fixtureJson<{ nextCursor: string }>("europeana-images-page1.json").nextCursor;

/** Answers like api.europeana.eu: the key comes in X-Api-Key; "aurora" has 2 image pages and 1 video page. */
const europeanaApi: FixtureHandler = ({ path, params, headers }) => {
  if (path !== "/record/v2/search.json") return undefined;
  const query = params.get("query");
  if (headers["x-api-key"] !== KEY)
    return { status: 401, body: { apikey: headers["x-api-key"] ?? null, success: false, error: "Invalid API key" } };
  if (query === "aurora" && params.get("qf") === "TYPE:IMAGE") {
    return { body: fixtureJson(params.get("cursor") === PAGE2_CURSOR ? "europeana-images-page2.json" : "europeana-images-page1.json") };
  }
  if (query === "aurora" && params.get("qf") === "TYPE:VIDEO") return { body: fixtureJson("europeana-videos.json") };
  return { body: { apikey: KEY, success: true, itemsCount: 0, totalResults: 0 } };
};

const europeanaWith = adapterPerTest((server) => createEuropeana({ id: "europeana", name: NAME, apiUrl: `${server.origin}/record/v2` }));

describe("Europeana adapter", () => {
  it("sends the key in X-Api-Key, asks for images with media and takes edmIsShownBy", async () => {
    const { source, server } = await europeanaWith(europeanaApi);
    const page = await source.search(searchRequest({ query: "aurora" }), { ...server.context, key: KEY });

    expectRequest(server, {
      params: {
        query: "aurora",
        media: "true",
        qf: "TYPE:IMAGE",
        rows: "50",
        cursor: "*",
      },
    });
    expect(server.requests[0].headers["x-api-key"]).toBe(KEY);

    expect(page.items).toEqual([
      {
        remoteId: "/2021672/resource_document_mauritshuis_670",
        mediaType: "image",
        mediaUrl: "https://www.mauritshuis.nl/media/qthpa3tm/0670_repro_2.jpg",
        thumbnailUrl:
          "https://api.europeana.eu/thumbnail/v2/url.json?uri=https%3A%2F%2Fwww.mauritshuis.nl%2Fmedia%2Fqthpa3tm%2F0670_repro_2.jpg&type=IMAGE",
        pageUrl: "https://www.europeana.eu/item/2021672/resource_document_mauritshuis_670",
        title: "Girl with a Pearl Earring",
        author: "Johannes Vermeer",
        license: "Public Domain Mark 1.0",
        licenseUrl: "http://creativecommons.org/publicdomain/mark/1.0/",
      },
      expect.objectContaining({ remoteId: "/2023837/_RCE_12345", license: "CC BY-SA 4.0" }),
      // The record without edmIsShownBy is left out (and reported in dropped).
      expect.objectContaining({
        remoteId: "/916118/aurora_fi_1904",
        title: undefined,
        author: undefined,
        thumbnailUrl: undefined,
        license: "No Copyright - Non-Commercial Use Only",
      }),
    ]);
    expect(page.dropped).toEqual([{ remoteId: "/9200386/object_88", reason: "no edmIsShownBy (no direct media file)" }]);
    // Europeana's nextCursor, as the token of Trawl's cursor (one phase: no phase prefix)
    expect(page.nextCursor).toBe(`~${encodeURIComponent(PAGE2_CURSOR)}`);
  });

  it("follows nextCursor, then searches videos for both, keeping only direct video files", async () => {
    const { source, server } = await europeanaWith(europeanaApi);
    const walked = await walkPages(source, searchRequest({ query: "aurora", mediaTypes: "both", limit: 2 }), {
      ...server.context,
      key: KEY,
    });
    const { cursors } = walked;
    const ids = walked.items.map((i) => `${i.mediaType}:${i.remoteId}`);
    const dropped = walked.dropped.flat().map((d) => `${d.remoteId ?? ""}: ${d.reason}`);
    // "<phase>:~<Europeana's cursor>[:<records handled>]": 2 items take the first 2 records of page 1; the rest of
    // page 1 holds the record without edmIsShownBy and 1 item.
    expect(cursors).toEqual(["image:~*:2", `image:~${encodeURIComponent(PAGE2_CURSOR)}`, "video:~*", null]);
    expect(ids).toEqual([
      "image:/2021672/resource_document_mauritshuis_670",
      "image:/2023837/_RCE_12345",
      "image:/916118/aurora_fi_1904",
      "image:/2022106/aurora_stormer_1910",
      "image:/2048001/aurora_1899",
      "video:/2051906/data_euscreenXL_http___www_openbeelden_nl_media_12345",
    ]);
    // Page 1 is fetched twice (to resume inside it); its dropped record is reported once, by the call that reached it.
    expect(dropped).toEqual([
      "/9200386/object_88: no edmIsShownBy (no direct media file)",
      "/2051942/data_euscreenXL_INA_aurore: edmIsShownBy is not a direct video file",
    ]);
    expect(server.requests.map((r) => `${r.params.get("qf")} ${r.params.get("cursor")}`)).toEqual([
      "TYPE:IMAGE *",
      "TYPE:IMAGE *",
      `TYPE:IMAGE ${PAGE2_CURSOR}`,
      "TYPE:VIDEO *",
    ]);
  });

  it("searches videos only for a videos job and rejects a cursor of another phase", async () => {
    const { source, server } = await europeanaWith(europeanaApi);
    const videos = await source.search(searchRequest({ query: "aurora", mediaTypes: "videos" }), { ...server.context, key: KEY });
    expect(videos.items.map((i) => i.mediaUrl)).toEqual([
      "https://www.openbeelden.nl/files/12/34/1234567.1234560.WEEKNUMMER401-HRE0001A2B3.mp4",
    ]);
    expect(videos.items[0]).toMatchObject({ mediaType: "video", license: "CC BY-SA 3.0", author: "Polygoon-Profilti (producent)" });
    expect(videos.nextCursor).toBeNull();
    expect(videos.dropped).toEqual([
      { remoteId: "/2051942/data_euscreenXL_INA_aurore", reason: "edmIsShownBy is not a direct video file" },
    ]);
    await expectSourceError(
      source.search(searchRequest({ query: "aurora", mediaTypes: "videos", cursor: "image:~*" }), { ...server.context, key: KEY }),
      /^Europeana: invalid cursor /,
    );
    expect(await source.search(searchRequest({ query: "qqqzzz" }), { ...server.context, key: KEY })).toEqual({
      items: [],
      nextCursor: null,
    });
  });

  it("takes readable authors, never URIs, from a recorded response whose dcCreator holds agent references", async () => {
    // Recorded by Openverse (tests/fixtures/sources/europeana-openverse-search.provenance.md): 27 IMAGE records,
    // 14 with only "http://hispana.mcu.es/lod/…#entN" references in dcCreator and the names in edmAgentLabel.
    const recorded = fixtureJson<{ items: { id: string; dcCreator?: string[] }[]; nextCursor: string }>("europeana-openverse-search.json");
    const { source, server } = await europeanaWith(({ path }) => (path === "/record/v2/search.json" ? { body: recorded } : undefined));
    const page = await source.search(searchRequest({ query: "*" }), { ...server.context, key: KEY });

    const uriCreators = recorded.items.filter((item) => /^https?:\/\//.test(item.dcCreator?.[0] ?? ""));
    expect([recorded.items.length, uriCreators.length]).toEqual([27, 14]);
    expect([page.items.length, page.dropped ?? []]).toEqual([27, []]);
    expect(page.items.map((item) => item.remoteId)).toEqual(recorded.items.map((item) => item.id));
    expect(page.items.filter((item) => item.author === undefined || /^[a-z]+:\/\//i.test(item.author))).toEqual([]);

    const authors = Object.fromEntries(
      page.items.map((item) => [item.remoteId.replace(/^\/2022704\/lod_oai_bibliotecadigital_jcyl_es_/, ""), item.author]),
    );
    expect(authors).toEqual({
      "26229_ent1": "Villemin, Charles, fl. 1835-1849",
      "26228_ent1": "Benoist, Philippe, 1813-ca. 1905",
      "26227_ent1": "Bichebois, Alphonse, 1801-1850",
      "26226_ent1": "Jacottet, Louis Julien, 1806-1880",
      "26225_ent1": "Benoist, Philippe, 1813-ca. 1905",
      "26224_ent1": "Anonymous",
      "26222_ent1": "Anonymous",
      "26221_ent1": "Anonymous",
      "26220_ent1": "Anonymous",
      "26219_ent1": "Anonymous",
      "26215_ent1": "Anonymous",
      "26214_ent1": "Anonymous",
      "26213_ent1": "Anonymous",
      "26212_ent1": "Anonymous",
      "26210_ent1": "Locker, Edward Hawke, 1777-1849",
      "26209_ent1": "Pannemaker, Adolphe François, 1822-?",
      "26208_ent1": "Giscard, S. XIX",
      "26207_ent1": "Giscard, S. XIX",
      "26206_ent1": "Heath, James, 1757-1834",
      "26201_ent1": "Raineri, Vittore",
      "26200_ent1": "Ancelet, Émile, fl. 1854-1880",
      "26199_ent1": "Stüler, Enrique",
      "26198_ent1": "Buxó, Esteban, fl. 1860-1880",
      // dcCreator "Anonymous" wins over edmAgentLabel "Medina de Rioseco. Ayuntamiento" (an agent that is not the creator).
      "24170_ent1": "Anonymous",
      "24169_ent1": "Anonymous",
      "24168_ent1": "Anonymous",
      "24167_ent1": "Anonymous",
    });
    // rights is the aggregation's edm:rights URL.
    expect(page.items[0]).toEqual({
      remoteId: "/2022704/lod_oai_bibliotecadigital_jcyl_es_26229_ent1",
      mediaType: "image",
      mediaUrl: "http://bibliotecadigital.jcyl.es/i18n/catalogo_imagenes/imagen_id.cmd?idImagen=102620362",
      thumbnailUrl:
        "https://api.europeana.eu/api/v2/thumbnail-by-url.json?uri=http%3A%2F%2Fbibliotecadigital.jcyl.es%2Fi18n%2Fcatalogo_imagenes%2Fimagen_id.cmd%3FidImagen%3D102620362&type=IMAGE",
      pageUrl: "https://www.europeana.eu/item/2022704/lod_oai_bibliotecadigital_jcyl_es_26229_ent1",
      title: "Claustro del Monasterio de S. Salvador en Oña [Material gráfico]= Cloître du Monastère de S. Salvador à Oña",
      author: "Villemin, Charles, fl. 1835-1849",
      license: "CC0 1.0",
      licenseUrl: "http://creativecommons.org/publicdomain/zero/1.0/",
    });
    expect(new Set(page.items.map((item) => `${item.license} ${item.licenseUrl}`))).toEqual(
      new Set(["CC0 1.0 http://creativecommons.org/publicdomain/zero/1.0/"]),
    );
    expect(page.nextCursor).toBe(`~${encodeURIComponent(recorded.nextCursor)}`);
  });

  it("reads names from dcCreator literals, dcCreatorLangAware and edmAgentLabel language maps, and skips empty rights", async () => {
    const agent = "http://data.europeana.eu/agent/base/59832";
    const record = (id: string, fields: Record<string, unknown>) => ({
      id,
      type: "IMAGE",
      edmIsShownBy: [`https://example.org/${id.slice(1)}.jpg`],
      rights: ["", "http://creativecommons.org/licenses/by/4.0/"],
      ...fields,
    });
    const body = {
      success: true,
      items: [
        // Programming Historian's Europeana lesson shows this shape: the URI first, then the name.
        record("/1/literal-second", { dcCreator: [agent, "Vincent van Gogh"] }),
        record("/1/lang-aware", { dcCreator: [agent], dcCreatorLangAware: { def: [agent], en: ["Vincent van Gogh"] } }),
        record("/1/agent-label-map", {
          dcCreator: [agent],
          edmAgent: [agent],
          edmAgentLabel: [{ en: "Vincent van Gogh" }, { nl: "Vincent van Gogh" }],
        }),
        record("/1/agent-order", {
          dcCreator: ["http://example.org/a#ent3"],
          edmAgent: ["http://example.org/a#ent2", "http://example.org/a#ent3"],
          edmAgentLabel: [{ def: "Subject, Depicted" }, { def: "Maker, The" }],
        }),
        record("/1/uri-only", { dcCreator: [agent] }),
        record("/1/no-creator", { edmAgentLabel: [{ def: "Depicted Person" }] }),
      ],
    };
    const { source, server } = await europeanaWith(({ path }) => (path === "/record/v2/search.json" ? { body } : undefined));
    const page = await source.search(searchRequest({ query: "gogh" }), { ...server.context, key: KEY });
    expect(page.items.map((item) => [item.remoteId, item.author])).toEqual([
      ["/1/literal-second", "Vincent van Gogh"],
      ["/1/lang-aware", "Vincent van Gogh"],
      ["/1/agent-label-map", "Vincent van Gogh"],
      ["/1/agent-order", "Maker, The"],
      ["/1/uri-only", undefined],
      ["/1/no-creator", undefined],
    ]);
    expect(new Set(page.items.map((item) => `${item.license} ${item.licenseUrl}`))).toEqual(
      new Set(["CC BY 4.0 http://creativecommons.org/licenses/by/4.0/"]),
    );
  });

  it("needs a key, and says so when it is missing or refused", async () => {
    const { source, server } = await europeanaWith(europeanaApi);
    await expectSourceError(source.search(searchRequest({ query: "aurora" }), server.context), /^Europeana: no API key configured$/);
    expect(server.requests).toHaveLength(0);
    await expectSourceError(
      source.search(searchRequest({ query: "aurora" }), { ...server.context, key: "wrong" }),
      /^Europeana: API key rejected \(401\)$/,
    );
  });

  // HTTP failures, malformed JSON and bodies without the fields are covered for every adapter by tests/sources/failure-contract.test.ts.
  it("reports API errors as SourceErrors, and drops only a record that fails its schema or links a PDF", async () => {
    const mixed = fixtureJson<{ items: Record<string, unknown>[] }>("europeana-images-page1.json");
    delete mixed.items[1].id;
    mixed.items[0].edmIsShownBy = ["https://www.mauritshuis.nl/media/qthpa3tm/0670_catalogue.pdf"];
    const { source, server } = await europeanaWith((request, origin) => {
      const query = request.params.get("query");
      if (query === "mixed") return { body: mixed };
      if (query === "refused") return { body: { success: false, error: "Invalid query parameter: cursor" } };
      return europeanaApi(request, origin);
    });
    const search = (query: string) => source.search(searchRequest({ query }), { ...server.context, key: KEY });
    const refused = await expectSourceError(search("refused"), /^Europeana: API error: Invalid query parameter: cursor$/);
    expect(refused.retryable).toBe(false);
    const page = await search("mixed");
    expect(page.items.map((i) => i.remoteId)).toEqual(["/916118/aurora_fi_1904"]);
    expect(page.dropped).toEqual([
      { remoteId: "/2021672/resource_document_mauritshuis_670", reason: "a .pdf file, which Trawl cannot store" },
      { reason: "a malformed record (missing id)" },
      { remoteId: "/9200386/object_88", reason: "no edmIsShownBy (no direct media file)" },
    ]);
  });
});
