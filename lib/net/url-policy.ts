import net from "node:net";
import { BlockedUrlError } from "@/lib/net/http-client";
import { checkAddress } from "@/lib/net/address-policy";

// The URL-level half of the SSRF guard: scheme, allow-list and IP literals, judged before
// any connection. Host names are judged later, on the address they resolve to.

const ALLOWED_SCHEMES = new Set(["http:", "https:"]);

/** Strips the brackets WHATWG URL keeps around IPv6 host names. */
export function bareHost(hostname: string): string {
  return hostname.startsWith("[") && hostname.endsWith("]") ? hostname.slice(1, -1) : hostname;
}

export function effectivePort(protocol: string, port: string): string {
  return port || (protocol === "https:" ? "443" : "80");
}

interface AllowEntry {
  host: string;
  port: string | null;
}

/** Entries are "host", "host:port", "[v6]", "[v6]:port" or a bare IPv6 address. */
function parseAllowEntry(entry: string): AllowEntry {
  const text = entry.trim().toLowerCase();
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(text);
  if (bracketed) return { host: bracketed[1], port: bracketed[2] ?? null };
  if (net.isIPv6(text)) return { host: text, port: null };
  const hostPort = /^([^:]+):(\d+)$/.exec(text);
  if (hostPort) return { host: hostPort[1], port: hostPort[2] };
  return { host: text, port: null };
}

/** True when host (bare, no brackets) and port are on the explicit allow-list. */
export function isAllowListed(host: string, port: string, allowHosts: readonly string[]): boolean {
  const wanted = host.toLowerCase();
  return allowHosts.some((entry) => {
    const allowed = parseAllowEntry(entry);
    return allowed.host === wanted && (allowed.port === null || allowed.port === port);
  });
}

/**
 * Parses a URL and refuses what must never be fetched: schemes other than http(s) and IP
 * literals that fail the address policy (unless allow-listed). Returns the parsed URL.
 */
export function assertFetchableUrl(raw: string, allowHosts: readonly string[]): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new BlockedUrlError(`refused: ${JSON.stringify(raw.slice(0, 200))} is not a valid URL`);
  }
  if (!ALLOWED_SCHEMES.has(url.protocol)) {
    throw new BlockedUrlError(`refused: ${url.protocol.slice(0, -1)}:// URLs are not fetched (only http and https)`);
  }
  const host = bareHost(url.hostname);
  if (isAllowListed(host, effectivePort(url.protocol, url.port), allowHosts)) return url;
  if (net.isIP(host)) {
    const verdict = checkAddress(host);
    if (!verdict.allowed) throw new BlockedUrlError(verdict.reason);
  }
  return url;
}
