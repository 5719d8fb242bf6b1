import type { Db } from "@/lib/db";
import { toIso } from "@/lib/format";
import { sourceSettingsById } from "./health";
import { describeSources } from "./registry";

export const categoryLabels: Record<string, string> = {
  museums: "Museums & archives",
  stock: "Stock",
  boorus: "Boorus",
  video: "Video",
  social: "Social",
  wikis: "Wikis",
  generic: "Generic",
};

/** The catalog as the pages and GET /api/sources show it: description, key status, health. */
export async function catalogWithHealth(client: Db) {
  const settings = await sourceSettingsById(client);
  return describeSources().map((source) => {
    const row = settings.get(source.id);
    return {
      ...source,
      enabled: row?.enabled ?? true,
      lastSuccessAt: toIso(row?.lastSuccessAt),
      lastError: row?.lastError ?? null,
      lastErrorAt: toIso(row?.lastErrorAt),
    };
  });
}

export type CatalogEntry = Awaited<ReturnType<typeof catalogWithHealth>>[number];
