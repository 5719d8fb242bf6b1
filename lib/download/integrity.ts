import { z } from "zod";
import type { ContentDigests, DigestSelection } from "@/lib/download/content-digests";

// What a source told us about a file (size, md5, sha1 — the Internet Archive publishes all
// three), checked against what actually arrived.

export const expectedIntegritySchema = z.strictObject({
  bytes: z.number().int().min(0).optional(),
  md5: z
    .string()
    .regex(/^[0-9a-f]{32}$/i, "an md5 is 32 hex digits")
    .transform((hex) => hex.toLowerCase())
    .optional(),
  sha1: z
    .string()
    .regex(/^[0-9a-f]{40}$/i, "a sha1 is 40 hex digits")
    .transform((hex) => hex.toLowerCase())
    .optional(),
});

export type ExpectedIntegrity = z.input<typeof expectedIntegritySchema>;
type ParsedIntegrity = z.output<typeof expectedIntegritySchema>;

/**
 * The bytes are not the file the source described. The download is thrown away; a fresh
 * attempt may succeed (a file replaced mid-resume), so callers retry, but not endlessly.
 */
export class IntegrityError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "IntegrityError";
  }
}

export function parseIntegrity(expected: ExpectedIntegrity | undefined): ParsedIntegrity {
  const parsed = expectedIntegritySchema.safeParse(expected ?? {});
  if (!parsed.success) throw new Error(`invalid expected size or checksum: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

export function digestsToCompute(expected: ParsedIntegrity): DigestSelection {
  return { md5: expected.md5 !== undefined, sha1: expected.sha1 !== undefined };
}

/** Throws IntegrityError on the first difference from what the source promised. */
export function verifyIntegrity(expected: ParsedIntegrity, actual: { bytes: number; digests: ContentDigests }): void {
  if (expected.bytes !== undefined && expected.bytes !== actual.bytes) {
    throw new IntegrityError(`size mismatch: expected ${expected.bytes} bytes, got ${actual.bytes}`);
  }
  for (const algorithm of ["md5", "sha1"] as const) {
    const want = expected[algorithm];
    const got = actual.digests[algorithm];
    if (want === undefined) continue;
    if (got === undefined) throw new Error(`internal: the ${algorithm} of the download was not computed`);
    if (want !== got) throw new IntegrityError(`checksum mismatch: expected ${algorithm} ${want}, got ${got}`);
  }
}
