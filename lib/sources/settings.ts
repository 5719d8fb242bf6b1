import { config, sourceSettingSuffix } from "@/lib/config";
import type { SourceAdapter } from "./types";

/** The API base URL of a source: TRAWL_URL_<ID> when set, else its public default. */
export function sourceBaseUrl(sourceId: string, fallback: string) {
  return (config().sources.urls[sourceSettingSuffix(sourceId)] ?? fallback).replace(/\/+$/, "");
}

/** The name of the variable holding a source's key, e.g. TRAWL_KEY_PEXELS. */
export function keyVariable(source: Pick<SourceAdapter, "id" | "key">) {
  return `TRAWL_KEY_${sourceSettingSuffix(source.key?.setting ?? source.id)}`;
}

/** The source's key from the environment (TRAWL_KEY_<SOURCE>), if it needs one and one is set there. */
export function environmentKey(source: Pick<SourceAdapter, "id" | "key">): string | undefined {
  if (!source.key) return undefined;
  return config().sources.keys[sourceSettingSuffix(source.key.setting ?? source.id)];
}
