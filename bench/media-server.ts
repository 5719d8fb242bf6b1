// The benchmarks' media site: /small.html links FILES distinct ~256 KB PNGs at
// /small/<n>.png (?from=&count= picks other ones), and /big.mp4 is a BIG_MB MB "video"
// (an MP4 header, then filler) generated while it is sent.
// Run directly (tsx bench/media-server.ts) it serves in its own process and prints
// its origin, so a benchmark's own event loop never slows it down.
import crypto from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import sharp from "sharp";
import { minimalMp4 } from "../tests/support/download-test-server";

export interface MediaServer {
  origin: string;
  hostPort: string;
  pngBytes: number;
  close(): Promise<void>;
}

async function smallPng() {
  // Noise compresses badly, so the PNG is about 256 KB.
  const side = 292;
  const pixels = crypto.randomBytes(side * side * 3);
  return sharp(pixels, { raw: { width: side, height: side, channels: 3 } })
    .png({ compressionLevel: 0 })
    .toBuffer();
}

export async function startMediaServer(options: { files: number; bigMb: number }): Promise<MediaServer> {
  const png = await smallPng();
  const bigBytes = options.bigMb * 1024 * 1024;
  const filler = crypto.randomBytes(1024 * 1024);
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://bench");
    const small = /^\/small\/(\d+)\.png$/.exec(url.pathname);
    if (url.pathname === "/small.html") {
      const from = Number(url.searchParams.get("from") ?? 0);
      const count = Number(url.searchParams.get("count") ?? options.files);
      const links = Array.from({ length: count }, (_, i) => `<a href="/small/${from + i}.png">${from + i}</a>`).join("\n");
      res.writeHead(200, { "content-type": "text/html" });
      return res.end(`<html><body>${links}</body></html>`);
    }
    if (small) {
      // A unique trailer after IEND makes every file distinct without breaking the PNG.
      const body = Buffer.concat([png, Buffer.from(`trawl-bench-${small[1]}`)]);
      res.writeHead(200, { "content-type": "image/png", "content-length": body.length });
      return res.end(body);
    }
    if (url.pathname === "/big.mp4") {
      // ?round=<n> marks the header, so each round's file is a new one (not "already in Assets").
      const header = minimalMp4();
      header.write(`trawl-bench-${url.searchParams.get("round") ?? 0}`, 64, "latin1");
      res.writeHead(200, { "content-type": "video/mp4", "content-length": bigBytes });
      res.write(header);
      let sent = header.length;
      const pump = () => {
        while (sent < bigBytes) {
          const chunk = filler.subarray(0, Math.min(filler.length, bigBytes - sent));
          sent += chunk.length;
          if (!res.write(chunk)) return res.once("drain", pump);
        }
        res.end();
      };
      return pump();
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    origin: `http://127.0.0.1:${port}`,
    hostPort: `127.0.0.1:${port}`,
    pngBytes: png.length + "trawl-bench-0".length,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

if (process.argv[1]?.endsWith("media-server.ts")) {
  const server = await startMediaServer({ files: Number(process.env.BENCH_FILES ?? 1000), bigMb: Number(process.env.BENCH_BIG_MB ?? 0) });
  console.log(JSON.stringify({ origin: server.origin, hostPort: server.hostPort, pngBytes: server.pngBytes }));
}
