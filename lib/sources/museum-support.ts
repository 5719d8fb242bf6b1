// License names from URLs and codes, shared by the museum, archive and science adapters.

const CC_LICENSE = /creativecommons\.org\/licenses\/([a-z-]+)\/(\d(?:\.\d)?)/i;
const CC_PUBLIC_DOMAIN = /creativecommons\.org\/publicdomain\/(zero|mark)\/(\d\.\d)/i;
const RIGHTS_STATEMENT = /rightsstatements\.org\/(?:vocab|page)\/([A-Za-z-]+)\/(\d\.\d)/;

const RIGHTS_STATEMENTS: Record<string, string> = {
  InC: "In Copyright",
  "InC-OW-EU": "In Copyright - EU Orphan Work",
  "InC-EDU": "In Copyright - Educational Use Permitted",
  "InC-NC": "In Copyright - Non-Commercial Use Permitted",
  "InC-RUU": "In Copyright - Rights-holder(s) Unlocatable or Unidentifiable",
  "NoC-CR": "No Copyright - Contractual Restrictions",
  "NoC-NC": "No Copyright - Non-Commercial Use Only",
  "NoC-OKLR": "No Copyright - Other Known Legal Restrictions",
  "NoC-US": "No Copyright - United States",
  CNE: "Copyright Not Evaluated",
  UND: "Copyright Undetermined",
  NKC: "No Known Copyright",
};

/** "http://creativecommons.org/licenses/by-sa/4.0/" -> "CC BY-SA 4.0"; unknown URLs give undefined. */
export function licenseNameFromUrl(url: string): string | undefined {
  const cc = CC_LICENSE.exec(url);
  if (cc) return `CC ${cc[1].toUpperCase()} ${cc[2]}`;
  const pd = CC_PUBLIC_DOMAIN.exec(url);
  if (pd) return pd[1].toLowerCase() === "zero" ? `CC0 ${pd[2]}` : `Public Domain Mark ${pd[2]}`;
  const rs = RIGHTS_STATEMENT.exec(url);
  if (rs) return RIGHTS_STATEMENTS[rs[1]];
  return undefined;
}

/** "cc-by-nc" -> "CC BY-NC", "cc0" -> "CC0", "pdm" -> "Public Domain Mark"; other codes upper-cased. */
export function licenseNameFromCode(code: string): string {
  const lower = code.trim().toLowerCase();
  if (lower === "cc0" || lower === "cc-0") return "CC0";
  if (lower === "pdm" || lower === "pd") return "Public Domain Mark";
  const cc = /^cc-(.+)$/.exec(lower);
  return cc ? `CC ${cc[1].toUpperCase()}` : code.toUpperCase();
}
