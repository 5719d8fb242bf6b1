import { load, type CheerioAPI } from "cheerio";

// Helpers for the XML formats read by the feed and sitemap adapters (parsed with cheerio in
// XML mode). Extension elements are found by the prefix the document itself binds to the
// extension's namespace, so <m:content xmlns:m="http://search.yahoo.com/mrss/"> is found as
// well as the usual <media:content>.

export function loadXml(text: string): CheerioAPI {
  return load(text, { xml: true });
}

/** The document element's name ("rss", "feed", "urlset", ...), or undefined for an empty document. */
export function rootName($: CheerioAPI): string | undefined {
  return $.root().children().get(0)?.name;
}

/** The prefix the document element declares for a namespace URI, else the conventional one. */
export function namespacePrefix($: CheerioAPI, uris: readonly string[], fallback: string): string {
  const attribs = $.root().children().first().attr() ?? {};
  for (const [name, value] of Object.entries(attribs)) {
    if (name.startsWith("xmlns:") && uris.includes(value.trim())) return name.slice("xmlns:".length);
  }
  return fallback;
}

/** A CSS selector for a prefixed element name: ("media", "content") -> "media\:content". */
export function qualified(prefix: string, local: string) {
  return `${prefix.replace(/[^\w-]/g, (c) => `\\${c}`)}\\:${local}`;
}

/** An absolute http(s) URL without its fragment, or undefined for other schemes and junk. */
export function httpUrl(raw: string | undefined, base: string): string | undefined {
  const value = raw?.trim();
  if (!value || !URL.canParse(value, base)) return undefined;
  const url = new URL(value, base);
  if (url.protocol !== "http:" && url.protocol !== "https:") return undefined;
  url.hash = "";
  return url.href;
}

/** Trimmed text with markup removed (feed titles often carry escaped HTML), or undefined when empty. */
export function plainText(value: string | undefined): string | undefined {
  const text = value?.includes("<") ? load(value, null, false).text() : value;
  const trimmed = text?.replace(/\s+/g, " ").trim();
  return trimmed ? trimmed : undefined;
}
