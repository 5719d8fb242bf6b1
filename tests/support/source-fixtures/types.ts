/** Answers one request to a source's API, with a path relative to the entry's base URL. */
export type E2eResponder = (
  request: { path: string; params: URLSearchParams },
  origins: { api: string; media: string },
) => { status?: number; headers?: Record<string, string>; body: unknown } | undefined;
