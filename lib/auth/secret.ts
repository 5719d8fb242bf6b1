import crypto from "node:crypto";
import type { Config } from "@/lib/config";
import type { Db } from "@/lib/db";

const SESSION_SECRET = "session-signing";

/**
 * The key that signs session cookies: TRAWL_AUTH_SECRET when set, else a random one made
 * on first use and kept in the database, so every instance of this Trawl agrees on it and a
 * data directory that cannot be written does not lock everyone out.
 */
export async function authSecret(client: Db, cfg: Pick<Config, "auth">): Promise<string> {
  if (cfg.auth.secret) return cfg.auth.secret;
  // upsert never overwrites: two instances starting together both read the first one's secret.
  const row = await client.appSecret.upsert({
    where: { name: SESSION_SECRET },
    create: { name: SESSION_SECRET, value: crypto.randomBytes(32).toString("base64url") },
    update: {},
  });
  return row.value;
}
