import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import canonicalize from "canonicalize";

// Inngest's request signing, as Inngest Cloud and a self-hosted `inngest start` do it with a
// signing key (the SDK's side is InngestCommHandler and helpers/net in the inngest package):
// - a request to the app carries X-Inngest-Signature: t=<unix seconds>&s=<hex HMAC-SHA256 of
//   the canonical JSON body (RFC 8785) followed by t, keyed with the key without its
//   "signkey-<env>-" prefix>; the SDK refuses a missing, wrong or 5-minute-old one with 401;
// - the app signs its answer the same way over the raw body text;
// - the app registers its functions with Authorization: Bearer <prefix + sha256 of the
//   key's hex bytes>.

const KEY_PREFIX = /^signkey-[\w]+-/;
const MAX_AGE_MS = 5 * 60_000;

const bareKey = (signingKey: string) => signingKey.replace(KEY_PREFIX, "");

function mac(signingKey: string, text: string, timestamp: string) {
  return createHmac("sha256", bareKey(signingKey)).update(text).update(timestamp).digest("hex");
}

/** The canonical text of a JSON payload, as the SDK re-serialises a parsed body before checking it. */
export function canonicalJson(payload: unknown): string {
  return canonicalize(payload) ?? "";
}

/** The X-Inngest-Signature of a request body (already canonical text). */
export function signBody(signingKey: string, text: string, now = Date.now()) {
  const timestamp = Math.round(now / 1000).toString();
  return `t=${timestamp}&s=${mac(signingKey, text, timestamp)}`;
}

/** Whether an answer's X-Inngest-Signature is the key's signature of its raw text, and recent. */
export function validSignature(signingKey: string, header: string | null, text: string, now = Date.now()) {
  if (!header) return false;
  const params = new URLSearchParams(header);
  const timestamp = params.get("t") ?? "";
  const signature = params.get("s") ?? "";
  const seconds = Number.parseInt(timestamp, 10);
  if (!Number.isFinite(seconds) || Math.abs(now - seconds * 1000) > MAX_AGE_MS) return false;
  const expected = Buffer.from(mac(signingKey, text, timestamp));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

/** The bearer token an app registers with: the key's prefix and the SHA-256 of its hex bytes. */
export function hashedSigningKey(signingKey: string) {
  const prefix = KEY_PREFIX.exec(signingKey)?.[0] ?? "";
  return `${prefix}${createHash("sha256")
    .update(Buffer.from(bareKey(signingKey), "hex"))
    .digest("hex")}`;
}
