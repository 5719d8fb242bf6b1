import type { DbClient } from "@/lib/db";
import { environmentKey } from "./settings";
import type { SourceAdapter } from "./types";

// A catalog entry's state across jobs: enabled or not, last success, last error.

export async function recordSourceSuccess(client: DbClient, sourceId: string) {
  await client.sourceSetting.upsert({
    where: { sourceId },
    update: { lastSuccessAt: new Date() },
    create: { sourceId, lastSuccessAt: new Date() },
  });
}

export async function recordSourceError(client: DbClient, sourceId: string, error: string) {
  await client.sourceSetting.upsert({
    where: { sourceId },
    update: { lastError: error, lastErrorAt: new Date() },
    create: { sourceId, lastError: error, lastErrorAt: new Date() },
  });
}

export async function setSourceEnabled(client: DbClient, sourceId: string, enabled: boolean) {
  await client.sourceSetting.upsert({ where: { sourceId }, update: { enabled }, create: { sourceId, enabled } });
}

/** Set or clear (null) the key an administrator gives a key-gated source on /sources. */
export async function setSourceApiKey(client: DbClient, sourceId: string, apiKey: string | null) {
  await client.sourceSetting.upsert({ where: { sourceId }, update: { apiKey }, create: { sourceId, apiKey } });
}

/** The key a source's requests use: TRAWL_KEY_<SOURCE> wins over the one set on /sources. */
export async function sourceKeyFor(client: DbClient, source: Pick<SourceAdapter, "id" | "key">): Promise<string | undefined> {
  if (!source.key) return undefined;
  const fromEnvironment = environmentKey(source);
  if (fromEnvironment) return fromEnvironment;
  const row = await client.sourceSetting.findUnique({ where: { sourceId: source.id }, select: { apiKey: true } });
  return row?.apiKey ?? undefined;
}

export async function sourceSettingsById(client: DbClient) {
  const rows = await client.sourceSetting.findMany();
  return new Map(rows.map((row) => [row.sourceId, row]));
}

export async function isSourceEnabled(client: DbClient, sourceId: string) {
  const row = await client.sourceSetting.findUnique({ where: { sourceId }, select: { enabled: true } });
  return row?.enabled ?? true;
}
