import { config } from "@/lib/config";
import type { DbClient } from "@/lib/db";
import { createHttpClient, safeFetchOptionsFromConfig } from "@/lib/net/safe-fetch";
import { gateFor, politeHttpClient } from "./politeness";
import { sourceKeyFor } from "./catalog-state";
import type { SourceAdapter, SourceContext } from "./types";

/** What a source gets to talk to its API: the guarded client behind its politeness gate, and its key. */
export async function sourceContext(client: DbClient, source: SourceAdapter): Promise<SourceContext> {
  return {
    http: politeHttpClient(createHttpClient(safeFetchOptionsFromConfig()), gateFor(source.id, source.politeness)),
    userAgent: config().userAgent,
    key: await sourceKeyFor(client, source),
  };
}
