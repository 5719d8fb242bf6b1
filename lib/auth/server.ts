import { apiKey } from "@better-auth/api-key";
import { betterAuth } from "better-auth";
import { prismaAdapter } from "better-auth/adapters/prisma";
import { nextCookies } from "better-auth/next-js";
import { admin, username } from "better-auth/plugins";
import { config, type Config } from "@/lib/config";
import { db, type Db } from "@/lib/db";
import { CLIENT_IP_HEADER } from "./client-ip";
import { errorMessage, log } from "@/lib/log";
import { authSecret } from "./secret";

// Accounts, sessions, API keys and login rate limiting come from better-auth: sessions
// live in the database (httpOnly, SameSite=Lax cookies, Secure over https), passwords are
// hashed with scrypt, API keys are stored as SHA-256 and given as "Authorization: Bearer".

export const API_KEY_PREFIX = "trawl_";
/** Usernames as stored (lower case); better-auth's own check is replaced by this one. */
export const USERNAME_PATTERN = /^[a-z0-9][a-z0-9._-]{1,63}$/;
export const API_KEY_LENGTH = 64;

export function bearerToken(headers: Headers | undefined) {
  const value = headers?.get("authorization");
  const match = value ? /^Bearer\s+(\S+)\s*$/i.exec(value) : null;
  return match ? match[1] : null;
}

/** better-auth endpoints served over HTTP (/api/auth/...); the rest are called from lib/auth only. */
const EXPOSED_AUTH_PATHS = new Set(["sign-in/username", "sign-in/email", "sign-out", "get-session"]);

export const exposedAuthPath = (segments: string[]) => EXPOSED_AUTH_PATHS.has(segments.join("/"));

export function createAuth(client: Db, cfg: Config, secret: string) {
  return betterAuth({
    appName: "Trawl",
    baseURL: cfg.appUrl,
    secret,
    database: prismaAdapter(client, { provider: cfg.databaseKind }),
    telemetry: { enabled: false },
    logger: {
      level: "warn",
      log: (level, message, ...details) =>
        log[level === "error" ? "error" : level === "warn" ? "warn" : "info"](
          `auth: ${message}`,
          details.length ? { details: details.map((d) => errorMessage(d)) } : undefined,
        ),
    },
    trustedOrigins: cfg.auth.allowedHosts
      .flatMap((host) => [`http://${host}:${cfg.port}`, `https://${host}`, `http://${host}`])
      .concat(cfg.appUrl),
    emailAndPassword: { enabled: true, disableSignUp: true, minPasswordLength: 8, maxPasswordLength: 256 },
    session: { expiresIn: 60 * 60 * 24 * 30, updateAge: 60 * 60 * 24 },
    // Login attempts per client address, counted in the database so every instance sees them.
    rateLimit: {
      enabled: true,
      storage: "database",
      window: 60,
      max: 200,
      customRules: {
        "/sign-in/*": { window: cfg.auth.login.windowSeconds, max: cfg.auth.login.maxAttempts },
        "/change-password": { window: cfg.auth.login.windowSeconds, max: cfg.auth.login.maxAttempts },
      },
    },
    advanced: {
      // scripts/web-server.mjs sets this from the socket (or a trusted proxy's X-Forwarded-For).
      ipAddress: { ipAddressHeaders: [CLIENT_IP_HEADER] },
      cookiePrefix: "trawl",
    },
    plugins: [
      username({ minUsernameLength: 2, maxUsernameLength: 64, usernameValidator: (value) => USERNAME_PATTERN.test(value.toLowerCase()) }),
      admin({ defaultRole: "user", adminRoles: ["admin"] }),
      apiKey({
        defaultPrefix: API_KEY_PREFIX,
        defaultKeyLength: API_KEY_LENGTH,
        enableSessionForAPIKeys: true,
        customAPIKeyGetter: (ctx) => bearerToken(ctx.headers),
        rateLimit: { enabled: false },
        requireName: true,
        maximumNameLength: 64,
      }),
      nextCookies(),
    ],
  });
}

export type Auth = ReturnType<typeof createAuth>;

const holder = globalThis as unknown as { trawlAuth?: Promise<Auth> };

/** One better-auth instance per process, over the app's Prisma client (its secret is read from the database once). */
export function auth(): Promise<Auth> {
  holder.trawlAuth ??= authSecret(db(), config()).then(
    (secret) => createAuth(db(), config(), secret),
    (error) => {
      holder.trawlAuth = undefined; // the next request tries again; this one fails with the reason
      throw error;
    },
  );
  return holder.trawlAuth;
}
