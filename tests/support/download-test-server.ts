import http from "node:http";
import type { AddressInfo } from "node:net";
import sharp from "sharp";
import type { SafeFetchOptions } from "@/lib/net/safe-fetch";

// A real HTTP server on 127.0.0.1 for the downloader tests, serving fixture responses in
// their real formats. Test support only; nothing in the app imports it.

export interface FixtureServer {
  port: number;
  origin: string;
  /** The host:port entry that lets safe-fetch reach this server. */
  allowEntry: string;
  png: Buffer;
  jpeg: Buffer;
  mp4: Buffer;
  /** Request counts per path, to prove what was (not) fetched. */
  hits: Map<string, number>;
  /** Sockets accepted, to prove a refused target was never connected to. */
  connections(): number;
  close(): Promise<void>;
}

export interface FixtureOptions {
  /** Port of a server that must NOT be allow-listed, for the redirect-to-other-port route. */
  otherPort?: number;
}

/** The guarded client's options for reaching a test server: generous caps, only that server allowed. */
export function testFetchOptions(allowEntry: string, userAgent = "TrawlTest/1.0"): SafeFetchOptions {
  return { allowHosts: [allowEntry], userAgent, maxBytes: 10 * 1024 * 1024, timeoutMs: 20_000, idleTimeoutMs: 10_000 };
}

export const LARGE_BODY_BYTES = 256 * 1024;

/** The first bytes of an ISO-BMFF (MP4) file: an ftyp box with the isom brand, then padding. */
export function minimalMp4(): Buffer {
  const bytes = Buffer.alloc(4096);
  bytes.writeUInt32BE(24, 0);
  bytes.write("ftypisom", 4, "latin1");
  bytes.writeUInt32BE(512, 12);
  bytes.write("isomavc1", 16, "latin1");
  return bytes;
}

function crc32(bytes: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let bit = 0; bit < 8; bit++) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

/**
 * A decompression bomb's calling card: a valid PNG whose header (IHDR, with a correct CRC)
 * claims width x height pixels while the file stays tiny.
 */
export function pngClaimingSize(png: Buffer, width: number, height: number): Buffer {
  const bomb = Buffer.from(png);
  // Signature (8) + chunk length (4) + "IHDR" (4), then width and height.
  bomb.writeUInt32BE(width, 16);
  bomb.writeUInt32BE(height, 20);
  bomb.writeUInt32BE(crc32(bomb.subarray(12, 29)), 29);
  return bomb;
}

export async function fixtureImages() {
  const png = await sharp({ create: { width: 640, height: 480, channels: 3, background: "#cc3300" } })
    .png()
    .toBuffer();
  const jpeg = await sharp({ create: { width: 800, height: 600, channels: 3, background: "#0033cc" } })
    .jpeg()
    .toBuffer();
  return { png, jpeg };
}

function redirect(res: http.ServerResponse, location: string, status = 302) {
  res.writeHead(status, { location });
  res.end();
}

export async function startFixtureServer(options: FixtureOptions = {}): Promise<FixtureServer> {
  const { png, jpeg } = await fixtureImages();
  const mp4 = minimalMp4();
  const hits = new Map<string, number>();
  let connections = 0;
  let origin = "";
  let port = 0;

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", origin);
    hits.set(url.pathname, (hits.get(url.pathname) ?? 0) + 1);
    const chain = /^\/chain\/(\d+)$/.exec(url.pathname);
    if (chain) {
      const left = Number(chain[1]);
      return redirect(res, left > 1 ? `/chain/${left - 1}` : `${origin}/image.png`, left % 2 ? 302 : 301);
    }
    switch (url.pathname) {
      case "/image.png":
        res.writeHead(200, { "content-type": "image/png", "content-length": png.length });
        return res.end(png);
      case "/photo.jpg":
        res.writeHead(200, { "content-type": "image/jpeg", "content-length": jpeg.length });
        return res.end(jpeg);
      case "/no-type":
        res.writeHead(200, { "content-type": "application/octet-stream" });
        return res.end(jpeg);
      case "/download":
        res.writeHead(200, {
          "content-type": "application/octet-stream",
          "content-disposition": url.searchParams.get("cd") ?? "attachment",
        });
        return res.end(png);
      case "/bomb.png":
        // 225 megapixels: under sharp's default limit, over ours.
        res.writeHead(200, { "content-type": "image/png" });
        return res.end(pngClaimingSize(png, 15_000, 15_000));
      case "/clip.mp4":
        res.writeHead(200, { "content-type": "video/mp4", "content-length": mp4.length });
        return res.end(mp4);
      case "/html-as-jpeg":
        res.writeHead(200, { "content-type": "image/jpeg" });
        return res.end("<!DOCTYPE html><html><head><title>Not Found</title></head><body><h1>Sorry</h1></body></html>");
      case "/text":
        res.writeHead(200, { "content-type": "text/plain" });
        return res.end("just some plain text, not a picture at all\n".repeat(20));
      case "/svg":
        res.writeHead(200, { "content-type": "image/svg+xml" });
        return res.end(
          '<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script></svg>',
        );
      case "/corrupt-png": {
        // A real PNG signature and header chunk followed by garbage: sniffs as PNG, cannot be decoded.
        const body = Buffer.concat([png.subarray(0, 33), Buffer.alloc(2048, 0x5a)]);
        res.writeHead(200, { "content-type": "image/png" });
        return res.end(body);
      }
      case "/zero-width-png": {
        // A PNG header chunk that says the image is 0 pixels wide: sniffs as PNG, has no size.
        const header = Buffer.from(png.subarray(0, 33));
        header.writeUInt32BE(0, 16);
        const body = Buffer.concat([header, Buffer.alloc(2048, 0x5a)]);
        res.writeHead(200, { "content-type": "image/png" });
        return res.end(body);
      }
      case "/large":
        res.writeHead(200, { "content-type": "image/png", "content-length": LARGE_BODY_BYTES });
        return res.end(Buffer.concat([png, Buffer.alloc(LARGE_BODY_BYTES - png.length)]));
      case "/large-chunked": {
        res.writeHead(200, { "content-type": "image/png" });
        res.write(png);
        for (let sent = png.length; sent < LARGE_BODY_BYTES; sent += 16 * 1024) {
          res.write(Buffer.alloc(Math.min(16 * 1024, LARGE_BODY_BYTES - sent), 1));
        }
        return res.end();
      }
      case "/redirect-private":
        return redirect(res, "http://10.1.2.3/x");
      case "/redirect-metadata":
        return redirect(res, "http://169.254.169.254/latest/meta-data/", 307);
      case "/redirect-other-port":
        return redirect(res, `http://127.0.0.1:${options.otherPort}/`);
      case "/redirect-localhost":
        return redirect(res, `http://localhost:${options.otherPort}/`);
      case "/redirect-file":
        return redirect(res, "file:///etc/passwd");
      case "/redirect-no-location":
        res.writeHead(302);
        return res.end();
      case "/loop":
        return redirect(res, "/loop");
      case "/rate-limited":
        res.writeHead(429, { "retry-after": "30", "content-type": "text/plain" });
        return res.end("slow down");
      case "/rate-limited-date":
        res.writeHead(503, { "retry-after": new Date(Date.now() + 120_000).toUTCString() });
        return res.end();
      case "/missing":
        res.writeHead(404, { "content-type": "text/html" });
        return res.end("<h1>Not Found</h1>");
      case "/api.json":
        res.writeHead(200, { "content-type": "application/json" });
        return res.end(
          JSON.stringify({
            ok: true,
            items: [1, 2, 3],
            userAgent: req.headers["user-agent"],
            authorization: req.headers.authorization ?? null,
          }),
        );
      case "/redirect-same-origin":
        return redirect(res, "/api.json");
      case "/redirect-via-localhost":
        // Same server, another origin: credentials must not follow.
        return redirect(res, `http://localhost:${port}/api.json`);
      case "/bad.json":
        res.writeHead(200, { "content-type": "application/json" });
        return res.end('{"ok": tru');
      case "/latin1":
        res.writeHead(200, { "content-type": "text/html; charset=iso-8859-1" });
        return res.end(Buffer.from("<p>caf\u00e9</p>", "latin1"));
      case "/stall":
        // Headers, then silence: only the idle timeout can end this.
        res.writeHead(200, { "content-type": "image/png" });
        res.write(png.subarray(0, 16));
        return;
      default:
        res.writeHead(404);
        return res.end();
    }
  });
  server.on("connection", () => connections++);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port;
  origin = `http://127.0.0.1:${port}`;
  return {
    port,
    origin,
    allowEntry: `127.0.0.1:${port}`,
    png,
    jpeg,
    mp4,
    hits,
    connections: () => connections,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
