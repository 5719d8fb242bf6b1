import { directLinks } from "@/lib/sources/direct-links";
import { createOpenverse } from "@/lib/sources/openverse";
import { environmentKey, keyVariable, sourceBaseUrl } from "@/lib/sources/settings";
import type { SourceAdapter } from "@/lib/sources/types";
import { webPage } from "@/lib/sources/web-page";
import { createWikimediaCommons } from "@/lib/sources/wikimedia-commons";
import { communitySources } from "./catalog/community";
import { museumSources } from "./catalog/museums";
import { stockAndGenericSources } from "./catalog/stock-and-generic";

// Every catalog entry Trawl can search. API base URLs and keys are read from config() when
// a search runs, not when this module loads, so importing the registry never parses the
// environment.

export const sources: SourceAdapter[] = [
  webPage,
  directLinks,
  createWikimediaCommons({ apiUrl: () => sourceBaseUrl("wikimedia-commons", "https://commons.wikimedia.org/w/api.php") }),
  createOpenverse({ apiUrl: () => sourceBaseUrl("openverse", "https://api.openverse.org/v1") }),
  ...museumSources,
  ...communitySources,
  ...stockAndGenericSources,
];

const byId = new Map(sources.map((source) => [source.id, source]));
if (byId.size !== sources.length) {
  const duplicates = sources.map((s) => s.id).filter((id, i, all) => all.indexOf(id) !== i);
  throw new Error(`Duplicate source ids in the catalog: ${duplicates.join(", ")}`);
}

export const sourceIds: readonly string[] = sources.map((source) => source.id);

export function isSourceId(id: string): boolean {
  return byId.has(id);
}

export function getSource(id: string): SourceAdapter {
  const source = byId.get(id);
  if (!source) throw new Error(`Unknown source "${id}"`);
  return source;
}

/** The display name of a source id, or the id itself for a source no longer in the catalog. */
export function sourceName(id: string) {
  return byId.get(id)?.name ?? id;
}

/** Plain JSON describing each source, for GET /api/sources and the pages. */
export function describeSources() {
  return sources.map((source) => ({
    id: source.id,
    name: source.name,
    description: source.description,
    homepage: source.homepage,
    category: source.category,
    adapter: source.adapter,
    mediaTypes: [...source.mediaTypes],
    input: source.input,
    safeSearch: source.safeSearch,
    politeness: { ...source.politeness },
    key: source.key
      ? {
          label: source.key.label,
          help: source.key.help,
          variable: keyVariable(source),
          inEnvironment: environmentKey(source) !== undefined,
        }
      : null,
  }));
}

export type SourceDescription = ReturnType<typeof describeSources>[number];
