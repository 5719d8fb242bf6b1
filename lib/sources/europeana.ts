import { z } from "zod";
import { mediaTypeFromExtension } from "@/lib/sources/media-kinds";
import { licenseNameFromUrl, resolveBase } from "@/lib/sources/museum-support";
import { fetchKeyedJson, parseResponse, requireKey, requireQuery } from "@/lib/sources/source-http";
import {
  SourceError,
  type MediaType,
  type SearchPage,
  type SearchRequest,
  type SourceAdapter,
  type SourceContext,
  type SourceItem,
} from "@/lib/sources/types";

// Europeana Search API (https://europeana.atlassian.net/wiki/spaces/EF/pages/2385739812, and
// "Accessing the APIs": send the key in the X-Api-Key header, the wskey parameter is being
// deprecated): GET /record/v2/search.json?query=&media=true&qf=TYPE:IMAGE&rows=&cursor=, with
// cursor-based paging (cursor=* then nextCursor). edmIsShownBy is the provider's full-size
// media file. Europeana publishes a fair-use policy, not a number.

const PAGE_SIZE = 50;

type Phase = "IMAGE" | "VIDEO";

const cursorSchema = z.object({
  phase: z.enum(["IMAGE", "VIDEO"]),
  /** The API cursor that produced the current page ("*" for the first). */
  cursor: z.string().min(1),
  /** Items of that page already returned. */
  skip: z.number().int().min(0),
});
type Cursor = z.infer<typeof cursorSchema>;

const itemSchema = z.object({
  id: z.string(),
  type: z.string().nullish(),
  title: z.array(z.string()).nullish(),
  dcCreator: z.array(z.string()).nullish(),
  edmIsShownBy: z.array(z.string()).nullish(),
  edmPreview: z.array(z.string()).nullish(),
  rights: z.array(z.string()).nullish(),
});

const responseSchema = z.object({
  success: z.boolean(),
  error: z.string().nullish(),
  totalResults: z.number().nullish(),
  nextCursor: z.string().nullish(),
  items: z.array(itemSchema).nullish(),
});

function phasesFor(request: SearchRequest): Phase[] {
  if (request.mediaTypes === "images") return ["IMAGE"];
  if (request.mediaTypes === "videos") return ["VIDEO"];
  return ["IMAGE", "VIDEO"];
}

function toItem(item: z.infer<typeof itemSchema>, phase: Phase): SourceItem | undefined {
  const media = item.edmIsShownBy?.[0];
  if (!media) return undefined;
  let mediaType: MediaType = "image";
  if (phase === "VIDEO") {
    // Video records often point at a player page; only direct video files are taken.
    const fromExtension = URL.canParse(media) ? mediaTypeFromExtension(media) : undefined;
    if (fromExtension !== "video") return undefined;
    mediaType = "video";
  }
  const rights = item.rights?.[0];
  return {
    remoteId: item.id,
    mediaType,
    mediaUrl: media,
    thumbnailUrl: item.edmPreview?.[0],
    pageUrl: `https://www.europeana.eu/item${item.id}`,
    title: item.title?.[0],
    author: item.dcCreator?.[0],
    license: rights ? licenseNameFromUrl(rights) : undefined,
    licenseUrl: rights,
  };
}

export function createEuropeana(options: { id: string; name: string; apiUrl: string | (() => string) }): SourceAdapter {
  function parseCursor(request: SearchRequest, phases: Phase[]): Cursor {
    if (request.cursor === null) return { phase: phases[0], cursor: "*", skip: 0 };
    let json: unknown;
    try {
      json = JSON.parse(request.cursor);
    } catch (error) {
      if (!(error instanceof SyntaxError)) throw error;
    }
    const parsed = cursorSchema.safeParse(json);
    if (!parsed.success || !phases.includes(parsed.data.phase)) {
      throw new SourceError(`${options.name}: invalid cursor "${request.cursor}"`, undefined, false);
    }
    return parsed.data;
  }

  async function search(request: SearchRequest, context: SourceContext): Promise<SearchPage> {
    const key = requireKey(options.name, context);
    const query = requireQuery(options.name, request);
    const phases = phasesFor(request);
    const at = parseCursor(request, phases);

    const url = new URL(`${resolveBase(options.apiUrl)}/search.json`);
    url.searchParams.set("query", query);
    url.searchParams.set("media", "true");
    url.searchParams.set("qf", `TYPE:${at.phase}`);
    url.searchParams.set("rows", String(PAGE_SIZE));
    url.searchParams.set("cursor", at.cursor);
    const data = parseResponse(
      options.name,
      responseSchema,
      await fetchKeyedJson(options.name, context.http, url.href, { headers: { "X-Api-Key": key } }),
    );
    if (!data.success) throw new SourceError(`${options.name}: API error: ${data.error ?? "request failed"}`, undefined, false);

    const results = data.items ?? [];
    const all = results.flatMap((item) => toItem(item, at.phase) ?? []);
    const end = at.skip + Math.max(0, request.limit);
    const nextPhase = phases[phases.indexOf(at.phase) + 1];
    const next: Cursor | null =
      end < all.length
        ? { ...at, skip: end }
        : data.nextCursor && results.length > 0
          ? { phase: at.phase, cursor: data.nextCursor, skip: 0 }
          : nextPhase
            ? { phase: nextPhase, cursor: "*", skip: 0 }
            : null;
    return { items: all.slice(at.skip, end), nextCursor: next ? JSON.stringify(next) : null };
  }

  return {
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
    search,
  };
}
