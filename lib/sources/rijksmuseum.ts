import { z } from "zod";
import { defineApiSource, drop, type RecordResult } from "@/lib/sources/api-source";
import { licenseNameFromUrl } from "@/lib/sources/museum-support";
import type { SourceClient } from "@/lib/sources/source-client";
import type { SourceAdapter } from "@/lib/sources/types";

// Rijksmuseum through its current, keyless Linked Open Data APIs (https://data.rijksmuseum.nl/docs/search
// and the persistent-identifier resolver): the old www.rijksmuseum.nl/api collection API with a key
// answers 410 Gone. Search takes field filters, not free text, so the query searches titles
// (title=, imageAvailable=true) and pages with pageToken (next.id; the cursor is "~<token>").
// Each hit is a Linked Art HumanMadeObject; its image takes two more hops — VisualItem
// (shows/representation, rights in subject_to) and DigitalObject (access_point, a IIIF URL on
// iiif.micr.io, "full/max", the largest size) — as open-source clients and a client's
// live-probed notes describe. No rate limit is published. Each hit is a record of the family base
// (api-source.ts), resolved two at a time and only as many as the limit needs: a hit whose record
// (or visual item, or digital object) the resolver answers with 404 or 410, or that shows no
// visual item, no digital object or no access point, is dropped with its reason and the page goes
// on; other failures (5xx, 429, network, a record without its id) fail the page.
// Recorded response: the Linked Art record of https://id.rijksmuseum.nl/200117708, fetched from
// the resolver on 2026-04-12 by kintopp/rijksmuseum-mcp-plus for its tests (the API this adapter
// calls; tests/fixtures/sources/rijksmuseum-recorded-object-200117708.provenance.md). It shows
// that the resolver names the artist in produced_by.part[].carried_out_by[].notation (per
// language), not in _label, which is still read when present. No recorded search page, VisualItem
// or DigitalObject was found (searched public code and test data for Linked Art search pages,
// OrderedCollectionPage with orderedItems, and for digitally_shown_by / access_point records on
// iiif.micr.io: only hand-written mocks turned up; the many fixtures of the older collection API
// in other projects are of the retired www.rijksmuseum.nl/api, whose records — artObjects[].webImage
// — this adapter no longer reads): those hops are hand-written in the tests.

const LINKED_ART = { Accept: "application/ld+json" };
const RESOLVE_CONCURRENCY = 2;
const ENGLISH = "http://vocab.getty.edu/aat/300388277";
/** Getty AAT "accession numbers": the object number among an object's identifiers. */
const ACCESSION_NUMBER = "http://vocab.getty.edu/aat/300312355";

const ref = z.object({ id: z.string() });
const oneOrMany = <T extends z.ZodType>(schema: T) => z.union([schema, z.array(schema)]).transform((v) => (Array.isArray(v) ? v : [v]));
const nameSchema = z.object({
  type: z.string().nullish(),
  content: z.union([z.string(), z.array(z.string())]).nullish(),
  language: oneOrMany(ref).nullish(),
  classified_as: oneOrMany(z.object({ id: z.string().nullish() })).nullish(),
});
type LinkedArtName = z.infer<typeof nameSchema>;

const agentSchema = z.object({
  _label: z.string().nullish(),
  notation: oneOrMany(z.object({ "@language": z.string().nullish(), "@value": z.string().nullish() })).nullish(),
});
type Agent = z.infer<typeof agentSchema>;

/** Hits are checked one by one, so one malformed hit does not fail the page. */
const searchSchema = z.object({
  orderedItems: z.array(z.unknown()),
  next: z.object({ id: z.url() }).nullish(),
});

const hitSchema = z.object({ id: z.string(), type: z.string().nullish() });

const objectSchema = z.object({
  id: z.string(),
  identified_by: oneOrMany(nameSchema).nullish(),
  shows: oneOrMany(ref).nullish(),
  representation: oneOrMany(ref).nullish(),
  produced_by: z
    .object({
      carried_out_by: oneOrMany(agentSchema).nullish(),
      part: oneOrMany(z.object({ carried_out_by: oneOrMany(agentSchema).nullish() })).nullish(),
    })
    .nullish(),
});
type LinkedArtObject = z.infer<typeof objectSchema>;

const visualItemSchema = z.object({
  digitally_shown_by: oneOrMany(ref).nullish(),
  subject_to: oneOrMany(z.object({ identified_by: oneOrMany(nameSchema).nullish(), classified_as: oneOrMany(ref).nullish() })).nullish(),
});
type VisualItem = z.infer<typeof visualItemSchema>;

const digitalObjectSchema = z.object({ access_point: oneOrMany(ref).nullish() });

function text(name: LinkedArtName) {
  return (Array.isArray(name.content) ? name.content[0] : name.content) || undefined;
}

/** The English name when the record has one, else the first (Dutch titles are canonical). */
function preferredName(names: LinkedArtName[]) {
  const english = names.find((n) => n.language?.some((l) => l.id === ENGLISH));
  return text(english ?? names[0] ?? {});
}

/** The object number: the identifier classified as an accession number, else the first identifier. */
function objectNumber(names: LinkedArtName[]) {
  const identifiers = names.filter((n) => n.type === "Identifier");
  const accession = identifiers.find((n) => n.classified_as?.some((c) => c.id === ACCESSION_NUMBER));
  return text(accession ?? identifiers[0] ?? {});
}

/** An agent's name: its English notation, else its first, else its _label. */
function agentName(agent: Agent) {
  const notations = (agent.notation ?? []).filter((n) => n["@value"]);
  const notation = notations.find((n) => n["@language"] === "en") ?? notations[0];
  return notation?.["@value"] || agent._label || undefined;
}

function artist(object: LinkedArtObject) {
  const production = object.produced_by;
  const agents = [...(production?.carried_out_by ?? []), ...(production?.part ?? []).flatMap((p) => p.carried_out_by ?? [])];
  return agents.map(agentName).find(Boolean);
}

function rights(visual: VisualItem) {
  const statements = visual.subject_to ?? [];
  const url = statements.flatMap((s) => s.classified_as ?? []).find((c) => licenseNameFromUrl(c.id))?.id;
  const names = statements.flatMap((s) => s.identified_by ?? []).filter((n) => n.type !== "Identifier");
  return { license: (url ? licenseNameFromUrl(url) : undefined) ?? preferredName(names), licenseUrl: url };
}

async function resolve<T extends z.ZodType>(client: SourceClient, url: string, schema: T, what: string): Promise<z.output<T>> {
  return client.parse(schema, await client.json(url, { headers: LINKED_ART, gone: `the resolver does not know its ${what}` }));
}

/** Object -> VisualItem -> DigitalObject -> the IIIF image, or why the hit has none. */
async function toItem(hit: z.infer<typeof hitSchema>, client: SourceClient): Promise<RecordResult> {
  const object = await resolve(client, hit.id, objectSchema, "record");
  const visualId = (object.shows ?? object.representation ?? [])[0]?.id;
  if (!visualId) return drop(object.id, "no visual item (neither shows nor representation)");
  const visual = await resolve(client, visualId, visualItemSchema, "visual item");
  const digitalId = visual.digitally_shown_by?.[0]?.id;
  if (!digitalId) return drop(object.id, "its visual item has no digital object (digitally_shown_by)");
  const digital = await resolve(client, digitalId, digitalObjectSchema, "digital object");
  const image = digital.access_point?.[0]?.id;
  if (!image) return drop(object.id, "its digital object has no access_point");
  const names = object.identified_by ?? [];
  const number = objectNumber(names);
  return {
    remoteId: object.id,
    mediaType: "image",
    mediaUrl: image,
    thumbnailUrl: image.includes("/full/max/") ? image.replace("/full/max/", "/full/400,/") : undefined,
    pageUrl: number ? `https://www.rijksmuseum.nl/en/collection/${encodeURIComponent(number)}` : object.id,
    title: preferredName(names.filter((n) => n.type === "Name")),
    author: artist(object),
    ...rights(visual),
  };
}

export function createRijksmuseum(options: { id: string; name: string; apiUrl: string | (() => string) }): SourceAdapter {
  return defineApiSource({
    entry: {
      id: options.id,
      adapter: "rijksmuseum",
      name: options.name,
      description: "Artworks from the Rijksmuseum in Amsterdam whose titles match, as IIIF images.",
      homepage: "https://www.rijksmuseum.nl/en/collection",
      category: "museums",
      mediaTypes: ["image"],
      input: "query",
      safeSearch: false,
      // No published limit, and every artwork costs three requests: stay gentle.
      politeness: { requestsPerSecond: 3, concurrency: RESOLVE_CONCURRENCY },
    },
    apiUrl: options.apiUrl,
    query: "text",
    firstPage: "",
    // Each hit costs three requests, so only as many are resolved as the limit needs.
    recordConcurrency: RESOLVE_CONCURRENCY,
    async fetchPage({ client, query, page }) {
      const url = client.url("/search/collection", { title: query, imageAvailable: true, pageToken: page || undefined });
      const found = client.parse(searchSchema, await client.json(url, { headers: LINKED_ART }));
      const nextToken = found.next ? new URL(found.next.id).searchParams.get("pageToken") : null;
      return { records: found.orderedItems, next: nextToken || null };
    },
    record: hitSchema,
    toItems: (hit, { client }) => toItem(hit, client),
  });
}
