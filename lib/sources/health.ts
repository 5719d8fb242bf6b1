import type { DbClient } from "@/lib/db";

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

export async function sourceSettingsById(client: DbClient) {
  const rows = await client.sourceSetting.findMany();
  return new Map(rows.map((row) => [row.sourceId, row]));
}

export async function isSourceEnabled(client: DbClient, sourceId: string) {
  const row = await client.sourceSetting.findUnique({ where: { sourceId }, select: { enabled: true } });
  return row?.enabled ?? true;
}
