// A local stand-in for "the web": pages that embed media, the media files themselves,
// and misbehaving URLs. Used by the integration tests and the end-to-end tests.
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import sharp from "sharp";

const fixturesDir = fileURLToPath(new URL("../../e2e/fixtures/", import.meta.url));
const VIDEOS = [
  { name: "clip-1.webm", type: "video/webm" },
  { name: "clip-2.mp4", type: "video/mp4" },
];

export interface FixtureSite {
  url: string;
  port: number;
  /** host:port, the entry the downloader's allow-list needs. */
  hostPort: string;
  /** Paths requested so far, in order. */
  requests: string[];
  /** The most media requests (/media/…) it was answering at one moment: what per-host limits bound. */
  mostMediaInFlight(): number;
  close(): Promise<void>;
}

const imageCache = new Map<number, Buffer>();
async function image(index: number) {
  let png = imageCache.get(index);
  if (!png) {
    // Distinct colours give distinct bytes, so every image is its own asset.
    const hue = (index * 47) % 360;
    const [r, g, b] = hslToRgb(hue / 360, 0.6, 0.5);
    png = await sharp({ create: { width: 320, height: 200, channels: 3, background: { r, g, b } } })
      .composite([
        { input: Buffer.from(`<svg width="320" height="200"><text x="20" y="120" font-size="72" fill="white">#${index}</text></svg>`) },
      ])
      .png()
      .toBuffer();
    imageCache.set(index, png);
  }
  return png;
}

function hslToRgb(h: number, s: number, l: number) {
  const f = (n: number) => {
    const k = (n + h * 12) % 12;
    const a = s * Math.min(l, 1 - l);
    return Math.round(255 * (l - a * Math.max(-1, Math.min(k - 3, 9 - k, 1))));
  };
  return [f(0), f(8), f(4)];
}

function galleryHtml(images: number, videos: number, delay: number, start = 1) {
  const q = delay ? `?delay=${delay}` : "";
  const imgs = Array.from(
    { length: images },
    (_, i) => `<figure><img src="/media/image-${start + i}.png${q}" alt="Photo ${start + i}"></figure>`,
  );
  const vids = VIDEOS.slice(0, videos).map((v) => `<video controls><source src="/media/${v.name}${q}" type="${v.type}"></video>`);
  return `<!doctype html><html><head><title>Fixture gallery</title></head><body><h1>Gallery</h1>${imgs.join("\n")}\n${vids.join("\n")}</body></html>`;
}

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function handle(req: http.IncomingMessage, res: http.ServerResponse) {
  const url = new URL(req.url ?? "/", "http://fixture");
  const delay = Math.min(Number(url.searchParams.get("delay") ?? 0) || 0, 30_000);
  const send = (status: number, type: string, body: Buffer | string, headers: Record<string, string> = {}) => {
    res.writeHead(status, { "content-type": type, "content-length": String(Buffer.byteLength(body)), ...headers });
    res.end(body);
  };

  if (url.pathname === "/gallery.html") {
    const images = Number(url.searchParams.get("images") ?? 12);
    const videos = Number(url.searchParams.get("videos") ?? 2);
    const start = Number(url.searchParams.get("start") ?? 1);
    return send(200, "text/html; charset=utf-8", galleryHtml(images, videos, delay, start));
  }
  const imageMatch = /^\/media\/image-(\d+)\.png$/.exec(url.pathname);
  if (imageMatch) {
    await wait(delay);
    return send(200, "image/png", await image(Number(imageMatch[1])));
  }
  const video = VIDEOS.find((v) => url.pathname === `/media/${v.name}`);
  if (video) {
    await wait(delay);
    return send(200, video.type, fs.readFileSync(path.join(fixturesDir, video.name)));
  }
  if (url.pathname === "/media/not-an-image.jpg") {
    return send(200, "image/jpeg", "<!doctype html><html><body>Access denied</body></html>");
  }
  if (url.pathname === "/media/missing.png") return send(404, "text/plain", "not found");
  if (url.pathname === "/redirect-to-private.png") {
    res.writeHead(302, { location: "http://10.20.30.40/secret.png" });
    return res.end();
  }
  if (url.pathname === "/mixed.html") {
    // Two good images, the same image under a second URL, an HTML page posing as a JPEG,
    // a 404 and a redirect to a private address.
    return send(
      200,
      "text/html",
      `<html><body><img src="/media/image-101.png"><img src="/media/image-102.png"><img src="/media/image-101.png?copy=1">` +
        `<img src="/media/not-an-image.jpg"><img src="/media/missing.png"><img src="/redirect-to-private.png"></body></html>`,
    );
  }
  return send(404, "text/plain", "not found");
}

export async function startFixtureSite(port = 0): Promise<FixtureSite> {
  const requests: string[] = [];
  let inFlight = 0;
  let most = 0;
  const server = http.createServer((req, res) => {
    requests.push(req.url ?? "/");
    if (req.url?.startsWith("/media/")) {
      most = Math.max(most, ++inFlight);
      res.once("close", () => inFlight--);
    }
    handle(req, res).catch((error) => {
      console.error("fixture site error", error);
      if (!res.headersSent) res.writeHead(500);
      res.end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  const actual = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${actual}`,
    port: actual,
    hostPort: `127.0.0.1:${actual}`,
    requests,
    mostMediaInFlight: () => most,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
