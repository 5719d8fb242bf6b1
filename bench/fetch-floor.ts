// The floor under Trawl's figure: Node's HTTP client (undici, as Trawl uses) fetching the
// same URLs into memory with the same connection limit, and nothing else: no hashing, no
// files, no database. Run by bench/download.ts in its own process; prints the seconds.
import fs from "node:fs";
import { Agent, request } from "undici";

const [listFile, connections] = process.argv.slice(2);
const urls = fs.readFileSync(listFile, "utf8").split("\n").filter(Boolean);
const agent = new Agent({ connections: Number(connections) });
let next = 0;
const started = performance.now();
await Promise.all(
  Array.from({ length: Number(connections) }, async () => {
    while (next < urls.length) {
      const response = await request(urls[next++], { dispatcher: agent });
      if (response.statusCode !== 200) throw new Error(`HTTP ${response.statusCode} from ${urls[next - 1]}`);
      await response.body.arrayBuffer();
    }
  }),
);
console.log(((performance.now() - started) / 1000).toFixed(3));
await agent.close();
