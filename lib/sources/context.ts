import { config } from "@/lib/config";
import { createHttpClient, safeFetchOptionsFromConfig } from "@/lib/download/safe-fetch";
import { gateFor, politeHttpClient } from "./politeness";
import { sourceKey } from "./settings";
import type { SourceAdapter, SourceContext } from "./types";

/** What a source gets to talk to its API: the guarded client behind its politeness gate, and its key. */
export function sourceContext(source: SourceAdapter): SourceContext {
  return {
    http: politeHttpClient(createHttpClient(safeFetchOptionsFromConfig()), gateFor(source.id, source.politeness)),
    userAgent: config().userAgent,
    key: sourceKey(source),
  };
}
