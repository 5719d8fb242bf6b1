import { APIError } from "better-auth/api";
import { config } from "@/lib/config";
import { db } from "@/lib/db";
import { log } from "@/lib/log";
import { CLIENT_IP_HEADER } from "./client-ip";
import { auth, bearerToken } from "./server";

export type Role = "admin" | "user";

/** Who a request is: a signed-in session, an API key, or a trusted reverse proxy's user header. */
export type RequestUser = {
  id: string;
  name: string;
  username: string | null;
  email: string;
  role: Role;
  via: "session" | "api-key" | "proxy";
};

export type Identity = { ok: true; user: RequestUser } | { ok: false; reason: string };

function toRequestUser(
  user: { id: string; name: string; email: string; role?: string | null; username?: string | null },
  via: RequestUser["via"],
): RequestUser {
  return {
    id: user.id,
    name: user.name,
    email: user.email,
    username: user.username ?? null,
    role: user.role === "admin" ? "admin" : "user",
    via,
  };
}

async function proxyUser(headers: Headers): Promise<Identity | null> {
  const { proxyHeader, trustedProxies } = config().auth;
  if (!proxyHeader) return null;
  const name = headers.get(proxyHeader)?.trim().toLowerCase();
  if (!name) return null;
  const peer = headers.get(CLIENT_IP_HEADER);
  if (!peer || !trustedProxies.includes(peer)) {
    log.warn("proxy user header refused: not from a trusted proxy", { peer, header: proxyHeader });
    return { ok: false, reason: `The ${proxyHeader} header is accepted only from TRAWL_TRUSTED_PROXIES` };
  }
  const user = await db().user.findFirst({ where: { OR: [{ username: name }, { email: name }] } });
  if (!user) return { ok: false, reason: `No Trawl user named ${name}: an administrator creates it first` };
  if (user.banned) return { ok: false, reason: "This account is disabled" };
  return { ok: true, user: toRequestUser(user, "proxy") };
}

/**
 * Resolves the user of a request from its headers. A wrong, revoked or expired key, or a
 * disabled account, is a refusal with its reason; a database failure is thrown.
 */
export async function identify(headers: Headers): Promise<Identity> {
  const viaProxy = await proxyUser(headers);
  if (viaProxy) return viaProxy;
  const hasKey = bearerToken(headers) !== null;
  try {
    const session = await (await auth()).api.getSession({ headers });
    if (!session) return { ok: false, reason: hasKey ? "Invalid API key" : "Sign in first" };
    if ((session.user as { banned?: boolean | null }).banned) return { ok: false, reason: "This account is disabled" };
    return { ok: true, user: toRequestUser(session.user, hasKey ? "api-key" : "session") };
  } catch (error) {
    // better-auth answers a bad key with an APIError (401/403): a refusal, not a failure.
    if (error instanceof APIError && (error.statusCode === 401 || error.statusCode === 403)) {
      return { ok: false, reason: hasKey ? `Invalid API key: ${error.message}` : error.message };
    }
    throw error;
  }
}
