/** SWR fetcher: a non-2xx answer becomes an error carrying the API's message. */
export async function fetchJson<T>(url: string): Promise<T> {
  const response = await fetch(url, { cache: "no-store" });
  const body = await response.json();
  if (!response.ok) throw new Error(body?.error?.message ?? `HTTP ${response.status} from ${url}`);
  return body as T;
}
