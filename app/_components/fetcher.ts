/** SWR fetcher: a non-2xx answer becomes an error carrying the API's message. */
export async function fetchJson<T>(url: string): Promise<T> {
  // no-cache: the browser revalidates with the ETag it holds, and a 304 gives back the body it cached.
  const response = await fetch(url, { cache: "no-cache" });
  const body = await response.json();
  if (!response.ok) throw new Error(body?.error?.message ?? `HTTP ${response.status} from ${url}`);
  return body as T;
}
