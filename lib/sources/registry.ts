import { config } from "@/lib/config";
import { directLinks } from "@/lib/sources/direct-links";
import { createOpenverse } from "@/lib/sources/openverse";
import type { SourceAdapter } from "@/lib/sources/types";
import { webPage } from "@/lib/sources/web-page";
import { createWikimediaCommons } from "@/lib/sources/wikimedia-commons";

// Every source Trawl can search. API base URLs are read from config() when a search runs,
// not when this module loads, so importing the registry never parses the environment.

export const sourceIds = ["web-page", "direct-links", "wikimedia-commons", "openverse"] as const;
export type SourceId = (typeof sourceIds)[number];

export const sources: SourceAdapter[] = [
  webPage,
  directLinks,
  createWikimediaCommons({ apiUrl: () => config().sources.wikimediaApiUrl }),
  createOpenverse({ apiUrl: () => config().sources.openverseApiUrl }),
];

export function isSourceId(id: string): id is SourceId {
  return (sourceIds as readonly string[]).includes(id);
}

export function getSource(id: string): SourceAdapter {
  const source = sources.find((s) => s.id === id);
  if (!source) throw new Error(`Unknown source "${id}" (known: ${sourceIds.join(", ")})`);
  return source;
}

/** Plain JSON describing each source, for GET /api/sources. */
export function describeSources() {
  return sources.map(({ id, name, description, homepage, category, mediaTypes, input, safeSearch }) => ({
    id,
    name,
    description,
    homepage,
    category,
    mediaTypes: [...mediaTypes],
    input,
    safeSearch,
  }));
}

/** The display name of a source id, or the id itself for a source no longer in the catalog. */
export function sourceName(id: string) {
  return sources.find((s) => s.id === id)?.name ?? id;
}
