import { config } from "@/lib/config";
// Which requests Trawl serves at all, decided from the request line and headers alone
// (proxy.ts applies it to every request; tests call it directly):
// - a Host that is not one of the app's names is refused (DNS rebinding);
// - a state-changing request must come from Trawl's own pages (Origin / Sec-Fetch-Site),
//   unless it carries an API key, which a browser never adds by itself;
// - JSON routes take only application/json bodies, so a "simple" cross-site form or
//   text/plain post cannot reach them even where the origin headers are missing;
// - the offline engine's serve route answers loopback callers only.

export type Refusal = { status: number; message: string };

export type RequestPolicy = {
  allowedHosts: string[];
  /** The engine is Trawl's offline one: /api/inngest is called over loopback only. */
  offlineEngine: boolean;
  /** The client address header is set by Trawl's own server; without it (next dev) loopback is assumed. */
  trustMissingClientIp: boolean;
};

export type RequestFacts = { method: string; url: string; headers: Headers };

/** The policy this Trawl runs with: its own names, its engine. */
export function configuredPolicy(): RequestPolicy {
  const cfg = config();
  return {
    allowedHosts: cfg.auth.allowedHosts,
    offlineEngine: cfg.engine.mode === "offline",
    trustMissingClientIp: process.env.NODE_ENV !== "production",
  };
}

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);
const ENGINE_PATH = "/api/inngest";
const LOOPBACK_IPS = new Set(["127.0.0.1", "::1", "::ffff:127.0.0.1"]);

export function hostName(host: string) {
  const value = host.trim().toLowerCase();
  if (value.startsWith("[")) return value.slice(0, value.indexOf("]") + 1);
  return value.replace(/:\d+$/, "");
}

function hasBody(headers: Headers) {
  const length = headers.get("content-length");
  return (length !== null && length !== "0") || headers.has("transfer-encoding");
}

function isJson(headers: Headers) {
  const type = headers.get("content-type")?.split(";")[0].trim().toLowerCase();
  return type === "application/json";
}

export function hasApiKey(headers: Headers) {
  return /^Bearer\s+\S+/i.test(headers.get("authorization") ?? "");
}

function crossSiteReason(request: RequestFacts, host: string): string | null {
  const site = request.headers.get("sec-fetch-site");
  if (site && site !== "same-origin") return `a ${site} request`;
  const origin = request.headers.get("origin");
  if (origin === null) return site ? null : "a request without an Origin header";
  if (origin === "null") return "a request from an opaque origin";
  let originHost: string;
  try {
    originHost = new URL(origin).host.toLowerCase();
  } catch {
    return `a request with a malformed Origin (${origin})`;
  }
  return originHost === host ? null : `a request from ${origin}`;
}

export function refusal(request: RequestFacts, policy: RequestPolicy, clientIp: string | null): Refusal | null {
  const host = (request.headers.get("host") ?? "").toLowerCase();
  if (!policy.allowedHosts.includes(hostName(host))) {
    return { status: 403, message: `Host "${host || "(none)"}" is not one of this Trawl's names; add it to TRAWL_ALLOWED_HOSTS` };
  }
  const path = new URL(request.url, "http://trawl.invalid").pathname;
  if (path === ENGINE_PATH || path.startsWith(`${ENGINE_PATH}/`)) {
    const loopback = clientIp === null ? policy.trustMissingClientIp : LOOPBACK_IPS.has(clientIp);
    if (policy.offlineEngine && !loopback) return { status: 403, message: "The offline engine's endpoint answers loopback callers only" };
    return null; // the engine is not a browser; Inngest's request signing protects it elsewhere
  }
  if (SAFE_METHODS.has(request.method.toUpperCase())) return null;
  if (!hasApiKey(request.headers)) {
    const reason = crossSiteReason(request, host);
    if (reason) return { status: 403, message: `Cross-site request refused (${reason}); use Trawl's pages or an API key` };
  }
  const declaresType = request.headers.has("content-type");
  if (path.startsWith("/api/") && (declaresType || hasBody(request.headers)) && !isJson(request.headers)) {
    return { status: 415, message: "JSON routes accept only Content-Type: application/json" };
  }
  return null;
}
