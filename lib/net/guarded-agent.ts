import dns from "node:dns";
import net from "node:net";
import { Agent, buildConnector } from "undici";
import { BlockedUrlError } from "@/lib/net/http-client";
import { checkAddress } from "@/lib/net/address-policy";
import { effectivePort, isAllowListed } from "@/lib/net/url-policy";

// The connection-time half of the SSRF guard. Every socket the agent opens goes through
// `connect` below: IP literals are judged directly, host names through a DNS lookup hook
// that judges the very addresses the socket then connects to, so a DNS answer cannot
// change between the check and the connection (no rebinding window).

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | dns.LookupAddress[], family?: number) => void;

function guardedLookup(hostname: string, options: dns.LookupOptions, callback: LookupCallback): void {
  dns.lookup(hostname, { ...options, all: true }, (err, addresses) => {
    if (err) return callback(err, []);
    for (const { address } of addresses) {
      const verdict = checkAddress(address);
      if (!verdict.allowed) {
        return callback(new BlockedUrlError(`refused: ${hostname} resolves to ${address}, ${verdict.problem}`), []);
      }
    }
    if (addresses.length === 0) return callback(Object.assign(new Error(`no address for ${hostname}`), { code: "ENOTFOUND" }), []);
    if (options.all) return callback(null, addresses);
    callback(null, addresses[0].address, addresses[0].family);
  });
}

export interface GuardedAgentOptions {
  allowHosts: readonly string[];
  idleTimeoutMs: number;
}

export function createGuardedAgent({ allowHosts, idleTimeoutMs }: GuardedAgentOptions): Agent {
  const guarded = buildConnector({ timeout: idleTimeoutMs, lookup: guardedLookup });
  const unguarded = buildConnector({ timeout: idleTimeoutMs });
  const connect: buildConnector.connector = (options, callback) => {
    const port = effectivePort(options.protocol, options.port);
    if (isAllowListed(options.hostname, port, allowHosts)) return unguarded(options, callback);
    if (net.isIP(options.hostname)) {
      const verdict = checkAddress(options.hostname);
      if (!verdict.allowed) return callback(new BlockedUrlError(verdict.reason), null);
    }
    return guarded(options, callback);
  };
  return new Agent({ connect, headersTimeout: idleTimeoutMs, bodyTimeout: idleTimeoutMs });
}

const agents = new Map<string, Agent>();

/** One shared agent (and connection pool) per distinct guard configuration. */
export function guardedAgent(options: GuardedAgentOptions): Agent {
  const key = JSON.stringify([[...options.allowHosts].sort(), options.idleTimeoutMs]);
  let agent = agents.get(key);
  if (!agent) {
    agent = createGuardedAgent(options);
    agents.set(key, agent);
  }
  return agent;
}
