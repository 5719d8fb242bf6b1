// A local endpoint speaking Inngest's event API (POST /e/<key> → { ids, status }), with a
// real Inngest client pointed at it: what the app sends is what the engine would receive.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { Inngest } from "inngest";

export interface EventIntake {
  url: string;
  events: Array<{ name: string; data: Record<string, unknown> }>;
  send: (event: { name: string; data: Record<string, unknown> }) => Promise<unknown>;
  close(): Promise<void>;
}

export async function startEventIntake(): Promise<EventIntake> {
  const events: EventIntake["events"] = [];
  const server = http.createServer(async (req, res) => {
    let body = "";
    for await (const chunk of req) body += chunk;
    if (req.method !== "POST" || !req.url?.startsWith("/e/")) {
      res.writeHead(404).end();
      return;
    }
    const batch = JSON.parse(body) as EventIntake["events"];
    events.push(...batch);
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify({ ids: batch.map((_, i) => `evt-${events.length}-${i}`), status: 200 }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const client = new Inngest({ id: "trawl-test", isDev: true, baseUrl: url });
  return {
    url,
    events,
    send: (event) => client.send(event),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A real client aimed at a port where nothing listens: every send fails to connect. */
export async function unreachableSend() {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  const client = new Inngest({ id: "trawl-test", isDev: true, baseUrl: `http://127.0.0.1:${port}` });
  return (event: { name: string; data: Record<string, unknown> }) => client.send(event);
}
