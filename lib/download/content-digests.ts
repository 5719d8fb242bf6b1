import { createHash, type Hash } from "node:crypto";

// The checksums of a download, computed in the same single pass that writes it: sha256
// always (it names the stored file), md5 and sha1 only when a source published them.

export interface DigestSelection {
  md5?: boolean;
  sha1?: boolean;
}

export interface ContentDigests {
  sha256: string;
  md5?: string;
  sha1?: string;
}

export interface DigestAccumulator {
  update(chunk: Buffer): void;
  digest(): ContentDigests;
}

export function createDigests(selection: DigestSelection = {}): DigestAccumulator {
  const sha256 = createHash("sha256");
  const md5: Hash | undefined = selection.md5 ? createHash("md5") : undefined;
  const sha1: Hash | undefined = selection.sha1 ? createHash("sha1") : undefined;
  return {
    update(chunk) {
      sha256.update(chunk);
      md5?.update(chunk);
      sha1?.update(chunk);
    },
    digest() {
      const digests: ContentDigests = { sha256: sha256.digest("hex") };
      if (md5) digests.md5 = md5.digest("hex");
      if (sha1) digests.sha1 = sha1.digest("hex");
      return digests;
    },
  };
}
