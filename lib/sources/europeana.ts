import { z } from "zod";
import { defineApiSource, drop, type RecordResult } from "@/lib/sources/api-source";
import { mediaTypeFromExtension, refusedFormat } from "@/lib/sources/media-kinds";
import { licenseNameFromUrl } from "@/lib/sources/museum-support";
import type { MediaType, SearchRequest, SourceAdapter } from "@/lib/sources/types";

// Europeana Search API (https://europeana.atlassian.net/wiki/spaces/EF/pages/2385739812, and
// "Accessing the APIs": send the key in the X-Api-Key header, the wskey parameter is being
// deprecated): GET /record/v2/search.json?query=&media=true&qf=TYPE:IMAGE&rows=&cursor=, with
// cursor-based paging (cursor=* then nextCursor). edmIsShownBy is the provider's full-size
// media file. Europeana publishes a fair-use policy, not a number.
//
// Authors: dcCreator mixes literals with Linked-Data references to agents ("http://…#ent2",
// "http://data.europeana.eu/agent/base/…"); the readable names of those agents come in
// edmAgentLabel ([{def: "name"}] or language maps, in edmAgent's order) and sometimes in
// dcCreatorLangAware ({def: [uri], en: ["name"]}). A URI is never used as the author.
// License: the search result's `rights` array holds the aggregation's edm:rights URL.
// Records that do not become items are returned in `dropped`, each with its reason.
// Tested on a recorded search.json response (Openverse's catalog test data, see
// tests/fixtures/sources/europeana-openverse-search.provenance.md).

const PAGE_SIZE = 50;

/** File extensions of formats Trawl does not store, which providers' edmIsShownBy sometimes names. */

type Phase = "image" | "video";

const itemSchema = z.object({
  id: z.string(),
  type: z.string().nullish(),
  title: z.array(z.string()).nullish(),
  dcCreator: z.array(z.string()).nullish(),
  // Language maps and label lists vary in shape between providers; read leniently (author only).
  dcCreatorLangAware: z.unknown().optional(),
  edmAgent: z.array(z.string()).nullish(),
  edmAgentLabel: z.unknown().optional(),
  edmIsShownBy: z.array(z.string()).nullish(),
  edmPreview: z.array(z.string()).nullish(),
  rights: z.array(z.string()).nullish(),
});

/** Records are checked one by one, so one malformed record does not fail the page. */
const responseSchema = z.object({
  success: z.boolean(),
  error: z.string().nullish(),
  totalResults: z.number().nullish(),
  nextCursor: z.string().nullish(),
  items: z.array(z.unknown()).nullish(),
});

function phasesFor(request: SearchRequest): Phase[] {
  if (request.mediaTypes === "images") return ["image"];
  if (request.mediaTypes === "videos") return ["video"];
  return ["image", "video"];
}

type EuropeanaRecord = z.infer<typeof itemSchema>;

/** A Linked-Data reference rather than a name ("http://…#ent2", "http://data.europeana.eu/agent/…"). */
function isUri(value: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(value.trim()) || /^urn:/i.test(value.trim());
}

function isName(value: string): boolean {
  return value.trim() !== "" && !isUri(value);
}

/** The strings of a label ({def: "name"}, {en: ["name"]}, "name"), English and def first. */
function labelStrings(value: unknown): string[] {
  if (typeof value === "string") return [value];
  if (Array.isArray(value)) return value.flatMap(labelStrings);
  if (value && typeof value === "object") {
    const map = value as Partial<Record<string, unknown>>;
    const keys = Object.keys(map).sort((a, b) => rank(a) - rank(b));
    return keys.flatMap((key) => labelStrings(map[key]));
  }
  return [];
}

function rank(language: string): number {
  if (language === "en") return 0;
  if (language === "def") return 1;
  return 2;
}

/** The first readable creator: a dcCreator literal, a dcCreatorLangAware literal, or the label of a creator agent. */
function authorOf(item: EuropeanaRecord): string | undefined {
  const creators = item.dcCreator ?? [];
  const literal = creators.find(isName) ?? labelStrings(item.dcCreatorLangAware).find(isName);
  if (literal) return literal.trim();
  if (!creators.some(isUri)) return undefined;
  const labels = Array.isArray(item.edmAgentLabel) ? item.edmAgentLabel.map((label) => labelStrings(label).find(isName)) : [];
  // edmAgentLabel follows edmAgent when each agent has one label: take the first creator's own label.
  const agents = item.edmAgent ?? [];
  if (agents.length > 0 && agents.length === labels.length) {
    for (const creator of creators) {
      const label = labels[agents.indexOf(creator)];
      if (label) return label.trim();
    }
  }
  return labels.find((label) => label !== undefined)?.trim();
}

/** The first rights entry that is a URL (some providers add empty strings). */
function rightsOf(item: EuropeanaRecord): string | undefined {
  return item.rights?.map((right) => right.trim()).find((right) => URL.canParse(right));
}

function toItem(item: EuropeanaRecord, phase: string): RecordResult {
  const media = item.edmIsShownBy?.map((url) => url.trim()).find(Boolean);
  if (!media) return drop(item.id, "no edmIsShownBy (no direct media file)");
  const refused = refusedFormat(media);
  if (refused) return drop(item.id, refused);
  let mediaType: MediaType = "image";
  if (phase === "video") {
    // Video records often point at a player page; only direct video files are taken.
    const fromExtension = URL.canParse(media) ? mediaTypeFromExtension(media) : undefined;
    if (fromExtension !== "video") return drop(item.id, "edmIsShownBy is not a direct video file");
    mediaType = "video";
  }
  const rights = rightsOf(item);
  return {
    remoteId: item.id,
    mediaType,
    mediaUrl: media,
    thumbnailUrl: item.edmPreview?.[0],
    pageUrl: `https://www.europeana.eu/item${item.id}`,
    title: item.title?.[0],
    author: authorOf(item),
    license: rights ? licenseNameFromUrl(rights) : undefined,
    licenseUrl: rights,
  };
}

export function createEuropeana(options: { id: string; name: string; apiUrl: string | (() => string) }): SourceAdapter {
  return defineApiSource({
    entry: {
      id: options.id,
      adapter: "europeana",
      name: options.name,
      description: "Images and videos from European museums, libraries and archives, aggregated by Europeana.",
      homepage: "https://www.europeana.eu/",
      category: "museums",
      mediaTypes: ["image", "video"],
      input: "query",
      safeSearch: false,
      key: {
        label: "Europeana API key",
        help: "Request a free key at https://pro.europeana.eu/pages/get-api (a Europeana account is needed).",
      },
      // Fair-use policy without a number: one request at a time.
      politeness: { requestsPerSecond: 1, concurrency: 1 },
    },
    apiUrl: options.apiUrl,
    query: "text",
    // Europeana's own start token; each page names the next in nextCursor.
    firstPage: "*",
    phases: phasesFor,
    async fetchPage({ client, query, phase, page }) {
      const url = client.url("/search.json", { query, media: true, qf: `TYPE:${phase.toUpperCase()}`, rows: PAGE_SIZE, cursor: page });
      const data = client.parse(responseSchema, await client.json(url, { headers: { "X-Api-Key": client.key ?? "" } }));
      if (!data.success) client.refuse(`API error: ${data.error ?? "request failed"}`);
      return { records: data.items ?? [], next: data.nextCursor ?? null };
    },
    record: itemSchema,
    toItems: (item, { phase }) => toItem(item, phase),
  });
}
