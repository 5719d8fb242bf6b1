import { RequestGate } from "@/lib/sources/politeness";

// Politeness towards media hosts: at most `connections` transfers per host at once, shared
// by every job in this process, and a host that answered 429/503 with Retry-After is left
// alone until then. Only the transfer holds the gate; hashing, measuring and database
// writes happen outside it, so they overlap with the next transfer.

const gates = new Map<string, RequestGate>();

function hostOf(url: string) {
  return new URL(url).host.toLowerCase();
}

export function hostGate(url: string, connections: number): RequestGate {
  const key = `${hostOf(url)} ${connections}`;
  let gate = gates.get(key);
  if (!gate) {
    gate = new RequestGate({ concurrency: connections, requestsPerSecond: Number.POSITIVE_INFINITY });
    gates.set(key, gate);
  }
  return gate;
}
