// A local stand-in for the sources' APIs: /<entry id>/<path> is answered by that entry's
// responder (tests/support/source-fixtures/*), with media URLs on the fixture site.
import http from "node:http";
import type { AddressInfo } from "node:net";
import type { E2eResponder } from "./source-fixtures/types";

export interface SourceApiSite {
  url: string;
  hostPort: string;
  /** Entry ids with a responder. */
  entries: string[];
  requests: string[];
  close(): Promise<void>;
}

export async function startSourceApiSite(responders: Record<string, E2eResponder>, mediaOrigin: string): Promise<SourceApiSite> {
  const requests: string[] = [];
  let origin = "";
  const server = http.createServer((req, res) => {
    requests.push(req.url ?? "/");
    const url = new URL(req.url ?? "/", origin);
    const [, entry, ...rest] = url.pathname.split("/");
    const responder = responders[entry];
    const reply = responder?.({ path: `/${rest.join("/")}`, params: url.searchParams }, { api: origin, media: mediaOrigin });
    if (!reply) {
      res.writeHead(404, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: `no fixture for ${url.pathname}` }));
      return;
    }
    const text = typeof reply.body === "string";
    res.writeHead(reply.status ?? 200, { "content-type": text ? "application/xml" : "application/json", ...reply.headers });
    res.end(text ? (reply.body as string) : JSON.stringify(reply.body));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  origin = `http://127.0.0.1:${port}`;
  return {
    url: origin,
    hostPort: `127.0.0.1:${port}`,
    entries: Object.keys(responders),
    requests,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
