import type { Db } from "@/lib/db";
import { toIso } from "@/lib/format";
import { sourceSettingsById } from "./catalog-state";
import { describeSources, type SourceDescription } from "./registry";

export const categoryLabels: Record<string, string> = {
  museums: "Museums & archives",
  stock: "Stock",
  boorus: "Boorus",
  video: "Video",
  social: "Social",
  wikis: "Wikis",
  generic: "Generic",
};

/** Where a key-gated source's key comes from; the key itself never leaves the server, only its last 4 characters. */
function keyState(key: NonNullable<SourceDescription["key"]>, stored: string | null | undefined) {
  const origin = key.inEnvironment ? ("environment" as const) : stored ? ("settings" as const) : null;
  return {
    label: key.label,
    help: key.help,
    variable: key.variable,
    configured: origin !== null,
    origin,
    storedHint: stored ? `…${stored.slice(-4)}` : null,
  };
}

/** The catalog as the pages and GET /api/sources show it: description, key status, health. */
export async function catalogWithHealth(client: Db) {
  const settings = await sourceSettingsById(client);
  return describeSources().map((source) => {
    const row = settings.get(source.id);
    return {
      ...source,
      key: source.key ? keyState(source.key, row?.apiKey) : null,
      enabled: row?.enabled ?? true,
      lastSuccessAt: toIso(row?.lastSuccessAt),
      lastError: row?.lastError ?? null,
      lastErrorAt: toIso(row?.lastErrorAt),
    };
  });
}

export type CatalogEntry = Awaited<ReturnType<typeof catalogWithHealth>>[number];
