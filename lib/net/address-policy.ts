import ipaddr from "ipaddr.js";

// Decides whether Trawl may open a connection to an IP address (the SSRF guard's core).
// Only public unicast addresses pass; IPv6 forms that embed an IPv4 address are judged
// by the embedded address, so ::ffff:127.0.0.1 is as loopback as 127.0.0.1.

/** `problem` says what the address is ("a loopback address"); `reason` is the full refusal. */
export type AddressVerdict = { allowed: true } | { allowed: false; problem: string; reason: string };

const RANGE_DESCRIPTIONS: Record<string, string> = {
  loopback: "a loopback address",
  private: "a private address",
  uniqueLocal: "a private (unique-local) address",
  linkLocal: "a link-local address",
  carrierGradeNat: "a carrier-grade NAT address",
  multicast: "a multicast address",
  broadcast: "the broadcast address",
  unspecified: "an unspecified address",
  reserved: "a reserved address",
  deprecatedSiteLocal: "a private (site-local) address",
};

function describeRange(range: string): string {
  return RANGE_DESCRIPTIONS[range] ?? `a special-purpose address (${range})`;
}

function v4FromParts(high: number, low: number): ipaddr.IPv4 {
  return new ipaddr.IPv4([high >> 8, high & 0xff, low >> 8, low & 0xff]);
}

/** IPv4 addresses carried inside an IPv6 address, for the transition forms that route to them. */
function embeddedV4(address: ipaddr.IPv6): ipaddr.IPv4[] | null {
  const p = address.parts;
  switch (address.range()) {
    case "ipv4Mapped": // ::ffff:a.b.c.d
    case "rfc6145": // ::ffff:0:a.b.c.d
      return [v4FromParts(p[6], p[7])];
    case "rfc6052": // NAT64 64:ff9b::a.b.c.d (the 64:ff9b:1::/48 local-use block is refused below)
      return p[2] === 0 ? [v4FromParts(p[6], p[7])] : null;
    case "6to4": // 2002:AABB:CCDD::/48
      return [v4FromParts(p[1], p[2])];
    case "teredo": // 2001:0:server:flags:port:~client
      return [v4FromParts(p[2], p[3]), v4FromParts(p[6] ^ 0xffff, p[7] ^ 0xffff)];
    default:
      return null;
  }
}

function judgeV4(address: ipaddr.IPv4): string | null {
  const range = address.range();
  return range === "unicast" ? null : describeRange(range);
}

// Global unicast IPv6 is 2000::/3; ipaddr.js calls everything it has no name for "unicast",
// including the unassigned ::/8 (and its deprecated IPv4-compatible ::a.b.c.d form).
const GLOBAL_UNICAST_V6 = ipaddr.IPv6.parseCIDR("2000::/3");

function judgeV6(address: ipaddr.IPv6): string | null {
  const embedded = embeddedV4(address);
  if (embedded) {
    for (const v4 of embedded) {
      const problem = judgeV4(v4);
      if (problem) return `${problem} (embedded IPv4 ${v4.toString()})`;
    }
    return null;
  }
  const range = address.range();
  if (range !== "unicast") return describeRange(range);
  if (!address.match(GLOBAL_UNICAST_V6)) return "not a global unicast address";
  return null;
}

/** Judges one IP address (v4 or v6, without brackets). Anything that is not an IP is refused. */
export function checkAddress(ip: string): AddressVerdict {
  const text = ip.startsWith("[") && ip.endsWith("]") ? ip.slice(1, -1) : ip;
  if (!ipaddr.isValid(text)) {
    return { allowed: false, problem: "not an IP address", reason: `refused: ${ip} is not an IP address` };
  }
  const address = ipaddr.parse(text);
  const problem = address.kind() === "ipv4" ? judgeV4(address as ipaddr.IPv4) : judgeV6(address as ipaddr.IPv6);
  return problem ? { allowed: false, problem, reason: `refused: ${text} is ${problem}` } : { allowed: true };
}
