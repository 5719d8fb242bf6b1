import type { DbClient } from "@/lib/db";

// Until login exists every job and asset belongs to one local user.
export const LOCAL_USER_NAME = "local";

export function ensureLocalUser(client: DbClient) {
  return client.user.upsert({ where: { name: LOCAL_USER_NAME }, update: {}, create: { name: LOCAL_USER_NAME } });
}
