import { z } from "zod";
import type { Db } from "@/lib/db";
import { log } from "@/lib/log";
import { auth } from "./server";

// A user's API keys: shown once at creation, stored as SHA-256 by better-auth's api-key
// plugin, used as "Authorization: Bearer <key>", revoked by deleting the row.

export const apiKeyName = z.string().trim().min(1, "Give the key a name").max(64, "At most 64 characters");

export async function createApiKey(userId: string, name: string) {
  const created = await (await auth()).api.createApiKey({ body: { name: apiKeyName.parse(name), userId } });
  log.info("API key created", { userId, keyId: created.id });
  return { id: created.id, name: created.name, key: created.key };
}

export async function listApiKeys(client: Db, userId: string) {
  return client.apikey.findMany({
    where: { referenceId: userId },
    orderBy: { createdAt: "desc" },
    select: { id: true, name: true, start: true, createdAt: true, lastRequest: true, expiresAt: true },
  });
}

/** Revokes one of the user's own keys; false when they have no key with this id. */
export async function revokeApiKey(client: Db, userId: string, keyId: string) {
  const { count } = await client.apikey.deleteMany({ where: { id: keyId, referenceId: userId } });
  if (count) log.info("API key revoked", { userId, keyId });
  return count > 0;
}
