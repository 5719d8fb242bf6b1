import { z } from "zod";
import type { SourceClient } from "@/lib/sources/source-client";

// The answer of a MediaWiki API search used as a generator (generator=search&…), shared by the
// Wikimedia Commons and MediaWiki adapters: the result pages in search order, and the offset of
// the next batch (continue.gsroffset).

/** formatversion 1's { "<pageid>": page } as a list; a list (formatversion 2) as is. */
function pageList(pages: unknown) {
  return pages !== null && typeof pages === "object" && !Array.isArray(pages) ? Object.values(pages) : pages;
}

const searchAnswerSchema = z.object({
  error: z.object({ code: z.string(), info: z.string() }).optional(),
  batchcomplete: z.union([z.boolean(), z.string()]).optional(),
  continue: z.object({ gsroffset: z.coerce.number().int().nonnegative().optional() }).optional(),
  query: z.object({ pages: z.preprocess(pageList, z.array(z.unknown())) }).optional(),
});

/** Rank in the search results: the API lists generator pages by page id, each with its `index`. */
function searchRank(raw: unknown) {
  const index = typeof raw === "object" && raw !== null ? (raw as { index?: unknown }).index : undefined;
  return typeof index === "number" ? index : 0;
}

/** The result pages of one search request, in search order (each checked later on its own), and the next offset. */
export async function searchResultPages(client: SourceClient, url: URL) {
  const data = client.parse(searchAnswerSchema, await client.json(url));
  if (data.error) client.refuse(`API error ${data.error.code}: ${data.error.info}`);
  // A search that matched nothing answers {"batchcomplete": true} with no query at all.
  if (!data.query && (data.batchcomplete === undefined || data.continue)) client.malformed("missing query.pages");
  const records = [...(data.query?.pages ?? [])].sort((a, b) => searchRank(a) - searchRank(b));
  return { records, next: data.continue?.gsroffset ?? null };
}
