// The load generator of bench:dashboard, run in its own process: it polls Trawl at a fixed
// rate (open loop: a slow answer never slows the schedule) like the pages do — the dashboard's
// /api/jobs?status=active and job pages' /api/jobs/:id, one to two — each URL sending back the
// ETag of its last answer as a browser's cache would. Prints one JSON line: the latencies' p50,
// p90, p99, the count of answers by status and the errors.
import { Agent, request } from "undici";

const [base, cookie, rateText, secondsText, jobIdsText] = process.argv.slice(2);
const rate = Number(rateText);
const seconds = Number(secondsText);
const jobIds = jobIdsText ? jobIdsText.split(",").filter(Boolean) : [];
const agent = new Agent({ connections: 64, pipelining: 1 });
const etags = new Map<string, string>();
const latencies: number[] = [];
const statuses = new Map<number, number>();
const errors: string[] = [];

function pick(n: number) {
  // One in three polls is the dashboard; the others are job pages (or the dashboard when none runs).
  if (n % 3 === 0 || jobIds.length === 0) return "/api/jobs?status=active";
  return `/api/jobs/${jobIds[n % jobIds.length]}`;
}

async function poll(path: string) {
  const started = performance.now();
  try {
    const etag = etags.get(path);
    const response = await request(`${base}${path}`, {
      dispatcher: agent,
      headers: { cookie, ...(etag ? { "if-none-match": etag } : {}) },
    });
    await response.body.arrayBuffer();
    const tag = response.headers.etag;
    if (typeof tag === "string") etags.set(path, tag);
    statuses.set(response.statusCode, (statuses.get(response.statusCode) ?? 0) + 1);
    if (response.statusCode >= 400) errors.push(`HTTP ${response.statusCode} for ${path}`);
  } catch (error) {
    errors.push(`${path}: ${(error as Error).message}`);
  }
  latencies.push(performance.now() - started);
}

const total = Math.round(rate * seconds);
const interval = 1000 / rate;
const start = performance.now();
const inFlight: Promise<void>[] = [];
for (let n = 0; n < total; n++) {
  const due = start + n * interval;
  const wait = due - performance.now();
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
  inFlight.push(poll(pick(n)));
}
await Promise.all(inFlight);
await agent.close();
latencies.sort((a, b) => a - b);
const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))];
console.log(
  JSON.stringify({
    requests: latencies.length,
    achievedRate: latencies.length / ((performance.now() - start) / 1000),
    p50: at(0.5),
    p90: at(0.9),
    p99: at(0.99),
    statuses: Object.fromEntries(statuses),
    errors: errors.length,
    firstErrors: errors.slice(0, 3),
  }),
);
