import { z } from "zod";
import { licenseNameFromUrl, resolveBase } from "@/lib/sources/museum-support";
import { fetchJson, parseResponse, requireQuery } from "@/lib/sources/source-http";
import { SourceError } from "@/lib/sources/types";
import type { SearchPage, SearchRequest, SourceAdapter, SourceContext, SourceItem } from "@/lib/sources/types";

// Rijksmuseum through its current, keyless Linked Open Data APIs (https://data.rijksmuseum.nl/docs/search
// and the persistent-identifier resolver): the old www.rijksmuseum.nl/api collection API with a key
// answers 410 Gone. Search takes field filters, not free text, so the query searches titles
// (title=, imageAvailable=true) and pages with pageToken (next.id). Each hit is a Linked Art
// HumanMadeObject; its image takes two more hops — VisualItem (shows/representation, rights in
// subject_to) and DigitalObject (access_point, a IIIF URL on iiif.micr.io) — as open-source clients
// and a client's live-probed notes describe. No rate limit is published; the artist is read from
// produced_by where the record names one (not confirmed by any documentation found).

const LINKED_ART = { Accept: "application/ld+json" };
const RESOLVE_CONCURRENCY = 2;
const ENGLISH = "http://vocab.getty.edu/aat/300388277";

const cursorSchema = z.object({ pageToken: z.string().min(1).nullable(), skip: z.number().int().min(0) });
type Cursor = z.infer<typeof cursorSchema>;

const ref = z.object({ id: z.string() });
const oneOrMany = <T extends z.ZodType>(schema: T) => z.union([schema, z.array(schema)]).transform((v) => (Array.isArray(v) ? v : [v]));
const nameSchema = z.object({
  type: z.string().nullish(),
  content: z.union([z.string(), z.array(z.string())]).nullish(),
  language: oneOrMany(ref).nullish(),
});

const searchSchema = z.object({
  orderedItems: z.array(z.object({ id: z.string(), type: z.string().nullish() })),
  next: z.object({ id: z.url() }).nullish(),
});

const objectSchema = z.object({
  id: z.string(),
  identified_by: oneOrMany(nameSchema).nullish(),
  shows: oneOrMany(ref).nullish(),
  representation: oneOrMany(ref).nullish(),
  produced_by: z
    .object({
      carried_out_by: oneOrMany(z.object({ _label: z.string().nullish() })).nullish(),
      part: oneOrMany(z.object({ carried_out_by: oneOrMany(z.object({ _label: z.string().nullish() })).nullish() })).nullish(),
    })
    .nullish(),
});

const visualItemSchema = z.object({
  digitally_shown_by: oneOrMany(ref).nullish(),
  subject_to: oneOrMany(z.object({ identified_by: oneOrMany(nameSchema).nullish(), classified_as: oneOrMany(ref).nullish() })).nullish(),
});

const digitalObjectSchema = z.object({ access_point: oneOrMany(ref).nullish() });

function text(name: z.infer<typeof nameSchema>) {
  return (Array.isArray(name.content) ? name.content[0] : name.content) || undefined;
}

/** The English name when the record has one, else the first (Dutch titles are canonical). */
function preferredName(names: z.infer<typeof nameSchema>[]) {
  const english = names.find((n) => n.language?.some((l) => l.id === ENGLISH));
  return text(english ?? names[0] ?? {});
}

function artist(object: z.infer<typeof objectSchema>) {
  const production = object.produced_by;
  const agents = [...(production?.carried_out_by ?? []), ...(production?.part ?? []).flatMap((p) => p.carried_out_by ?? [])];
  return agents.find((a) => a._label)?._label ?? undefined;
}

function rights(visual: z.infer<typeof visualItemSchema>) {
  const statements = visual.subject_to ?? [];
  const url = statements.flatMap((s) => s.classified_as ?? []).find((c) => licenseNameFromUrl(c.id))?.id;
  const names = statements.flatMap((s) => s.identified_by ?? []).filter((n) => n.type !== "Identifier");
  return { license: (url ? licenseNameFromUrl(url) : undefined) ?? preferredName(names), licenseUrl: url };
}

export function createRijksmuseum(options: { id: string; name: string; apiUrl: string | (() => string) }): SourceAdapter {
  async function resolve<T extends z.ZodType>(context: SourceContext, url: string, schema: T): Promise<z.output<T>> {
    return parseResponse(options.name, schema, await fetchJson(options.name, context.http, url, LINKED_ART));
  }

  /** Object -> VisualItem -> DigitalObject; undefined when the record shows no digital image. */
  async function toItem(context: SourceContext, objectId: string): Promise<SourceItem | undefined> {
    const object = await resolve(context, objectId, objectSchema);
    const visualId = (object.shows ?? object.representation ?? [])[0]?.id;
    if (!visualId) return undefined;
    const visual = await resolve(context, visualId, visualItemSchema);
    const digitalId = visual.digitally_shown_by?.[0]?.id;
    if (!digitalId) return undefined;
    const digital = await resolve(context, digitalId, digitalObjectSchema);
    const image = digital.access_point?.[0]?.id;
    if (!image) return undefined;
    const names = object.identified_by ?? [];
    const objectNumber = text(names.find((n) => n.type === "Identifier") ?? {});
    return {
      remoteId: object.id,
      mediaType: "image",
      mediaUrl: image,
      thumbnailUrl: image.includes("/full/max/") ? image.replace("/full/max/", "/full/400,/") : undefined,
      pageUrl: objectNumber ? `https://www.rijksmuseum.nl/en/collection/${encodeURIComponent(objectNumber)}` : object.id,
      title: preferredName(names.filter((n) => n.type === "Name")),
      author: artist(object),
      ...rights(visual),
    };
  }

  function parseCursor(cursor: string | null): Cursor {
    if (cursor === null) return { pageToken: null, skip: 0 };
    let json: unknown;
    try {
      json = JSON.parse(cursor);
    } catch (error) {
      if (!(error instanceof SyntaxError)) throw error;
    }
    const parsed = cursorSchema.safeParse(json);
    if (!parsed.success) throw new SourceError(`${options.name}: invalid cursor "${cursor}"`, undefined, false);
    return parsed.data;
  }

  async function search(request: SearchRequest, context: SourceContext): Promise<SearchPage> {
    if (request.mediaTypes === "videos") return { items: [], nextCursor: null };
    const query = requireQuery(options.name, request);
    const at = parseCursor(request.cursor);
    if (request.limit < 1) return { items: [], nextCursor: JSON.stringify(at) };

    const url = new URL(`${resolveBase(options.apiUrl)}/search/collection`);
    url.searchParams.set("title", query);
    url.searchParams.set("imageAvailable", "true");
    if (at.pageToken) url.searchParams.set("pageToken", at.pageToken);
    const found = parseResponse(options.name, searchSchema, await fetchJson(options.name, context.http, url.href, LINKED_ART));
    const hits = found.orderedItems;

    // Each hit costs three requests, so only as many are resolved as the limit needs.
    const items: SourceItem[] = [];
    let handled = at.skip;
    while (handled < hits.length && items.length < request.limit) {
      const chunk = hits.slice(handled, handled + Math.min(RESOLVE_CONCURRENCY, request.limit - items.length));
      const resolved = await Promise.all(chunk.map((hit) => toItem(context, hit.id)));
      handled += chunk.length;
      items.push(...resolved.flatMap((item) => item ?? []));
    }

    const nextToken = found.next ? new URL(found.next.id).searchParams.get("pageToken") : null;
    const next: Cursor | null =
      handled < hits.length
        ? { pageToken: at.pageToken, skip: handled }
        : nextToken && hits.length > 0
          ? { pageToken: nextToken, skip: 0 }
          : null;
    return { items, nextCursor: next ? JSON.stringify(next) : null };
  }

  return {
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
    search,
  };
}
