import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { Config } from "@/lib/config";

/**
 * The key that signs session cookies: TRAWL_AUTH_SECRET when set (required when several
 * instances share one database), else a random one made on first start and kept in the
 * data directory, readable by its owner only.
 */
export function authSecret(cfg: Pick<Config, "auth">): string {
  if (cfg.auth.secret) return cfg.auth.secret;
  const file = cfg.auth.secretFile;
  try {
    return fs.readFileSync(file, "utf8").trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const secret = crypto.randomBytes(32).toString("base64url");
  try {
    fs.writeFileSync(file, secret + "\n", { mode: 0o600, flag: "wx" });
    return secret;
  } catch (error) {
    // Another process made it first: use theirs.
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return fs.readFileSync(file, "utf8").trim();
    throw error;
  }
}
