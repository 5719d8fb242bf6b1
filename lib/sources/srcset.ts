// Parses the srcset attribute of <img> and <picture><source> the way the HTML standard does
// (URLs may contain commas, e.g. "w_100,h_50"; a comma only separates candidates after
// whitespace or at the end of a URL) and picks the largest candidate.

export interface SrcsetCandidate {
  url: string;
  /** The "w" descriptor: the image's intrinsic width in pixels. */
  width?: number;
  /** The "x" descriptor: pixel density; a candidate without descriptors is 1x. */
  density?: number;
}

function parseDescriptors(text: string): Pick<SrcsetCandidate, "width" | "density"> {
  const result: Pick<SrcsetCandidate, "width" | "density"> = {};
  for (const token of text.split(/\s+/).filter(Boolean)) {
    const width = /^(\d+)w$/i.exec(token);
    if (width) result.width = Number(width[1]);
    const density = /^(\d*\.?\d+(?:e[+-]?\d+)?)x$/i.exec(token);
    if (density) result.density = Number(density[1]);
  }
  return result;
}

export function parseSrcset(srcset: string): SrcsetCandidate[] {
  const candidates: SrcsetCandidate[] = [];
  let pos = 0;
  while (pos < srcset.length) {
    while (pos < srcset.length && /[\s,]/.test(srcset[pos])) pos++;
    if (pos >= srcset.length) break;
    const urlStart = pos;
    while (pos < srcset.length && !/\s/.test(srcset[pos])) pos++;
    let url = srcset.slice(urlStart, pos);
    let descriptors = "";
    if (url.endsWith(",")) {
      url = url.replace(/,+$/, "");
    } else {
      const start = pos;
      let depth = 0;
      while (pos < srcset.length) {
        const c = srcset[pos];
        if (c === "(") depth++;
        else if (c === ")") depth = Math.max(0, depth - 1);
        else if (c === "," && depth === 0) break;
        pos++;
      }
      descriptors = srcset.slice(start, pos);
      pos++;
    }
    if (url) candidates.push({ url, ...parseDescriptors(descriptors) });
  }
  return candidates;
}

/** Widths beat densities (they cannot be compared); ties keep the earlier candidate. */
export function largestCandidate(candidates: SrcsetCandidate[]): SrcsetCandidate | undefined {
  const withWidth = candidates.filter((c) => c.width !== undefined);
  const pool = withWidth.length > 0 ? withWidth : candidates;
  const size = (c: SrcsetCandidate) => (withWidth.length > 0 ? c.width! : (c.density ?? 1));
  let best: SrcsetCandidate | undefined;
  for (const candidate of pool) {
    if (best === undefined || size(candidate) > size(best)) best = candidate;
  }
  return best;
}
