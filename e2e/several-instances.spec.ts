import { test, expect } from "./support/fixtures";
import { jobFromApi } from "./support/dashboard";
import type { FixtureSite } from "../tests/support/fixture-site";
import { startS3Server } from "../tests/support/s3-server";
import { createDatabase, dropDatabases, newDatabaseName } from "../tests/support/test-databases";
import { ADMIN, startTrawl, type TrawlServer } from "./support/trawl-server";

// Two Trawl instances (each a web server with its engine and a job worker) on one PostgreSQL
// database and one S3-compatible bucket, behaving as one Trawl: the per-host connection limit
// holds for both together, the recovery sweep has one holder, no item is downloaded twice, and
// the jobs of an instance that dies are taken over by the other.
test.skip(!process.env.TEST_DATABASE_URL, "needs a PostgreSQL server: set TEST_DATABASE_URL (CI does)");

const CONNECTIONS_PER_HOST = 2;

/** Two instances on a throw-away database and bucket; the administrator is signed in on both. */
async function startPair(site: FixtureSite, env: Record<string, string>) {
  const server = process.env.TEST_DATABASE_URL!;
  const prefix = newDatabaseName("trawl_e2e_pair");
  const s3 = await startS3Server("pair");
  const started: TrawlServer[] = [];
  const close = async () => {
    for (const trawl of started) await trawl.close();
    await s3.close();
    await dropDatabases(server, prefix);
  };
  try {
    const shared = { ...s3.env, DATABASE_URL: await createDatabase(server, `${prefix}_app`), ...env };
    started.push(await startTrawl({ allowHosts: [site.hostPort], env: shared }));
    started.push(await startTrawl({ allowHosts: [site.hostPort], env: shared, account: false }));
    const [first, second] = started;
    second.admin.cookie = await second.signIn(ADMIN.username, ADMIN.password);
    return { first, second, close };
  } catch (error) {
    await close();
    throw error;
  }
}

async function submitGallery(trawl: TrawlServer, galleryUrl: string) {
  const response = await trawl.api("/api/jobs", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ sources: ["web-page"], mediaTypes: "images", maxItems: 20, targetUrls: [galleryUrl] }),
  });
  expect(response.status).toBe(201);
  return ((await response.json()) as { jobId: string }).jobId;
}

const limitKeepers = [
  { through: "PostgreSQL", env: {} as Record<string, string> },
  { through: "Redis", env: process.env.TEST_REDIS_URL ? { REDIS_URL: process.env.TEST_REDIS_URL } : undefined },
];

for (const { through, env: limitEnv } of limitKeepers) {
  test(`two instances on one PostgreSQL and one bucket share the host limit (through ${through}) and download nothing twice`, async ({
    site,
  }, testInfo) => {
    test.skip(!limitEnv, "needs a Redis server: set TEST_REDIS_URL (CI does)");
    test.setTimeout(180_000);
    const { first, second, close } = await startPair(site, {
      TRAWL_DOWNLOAD_CONNECTIONS_PER_HOST: String(CONNECTIONS_PER_HOST),
      ...limitEnv,
    });
    try {
      // Three jobs on each instance, over distinct galleries of slow images: twelve transfers at a time wanted.
      const jobIds: string[] = [];
      for (const [n, trawl] of [first, second, first, second, first, second].entries()) {
        jobIds.push(await submitGallery(trawl, `${site.url}/gallery.html?images=6&videos=0&start=${5000 + n * 10}&delay=150`));
      }
      await expect
        .poll(async () => Promise.all(jobIds.map(async (id) => (await jobFromApi(first, id)).status)), { timeout: 120_000 })
        .toEqual(jobIds.map(() => "completed"));

      const mediaRequests = site.requests.filter((path) => path.startsWith("/media/"));
      const duplicates = mediaRequests.length - new Set(mediaRequests).size;
      const assets = ((await (await first.api("/api/assets?limit=100")).json()) as { total: number }).total;
      console.log(
        `two instances, limits through ${through}: ${mediaRequests.length} media requests, ${duplicates} duplicate(s), ${assets} assets, ` +
          `at most ${site.mostMediaInFlight()} transfers at once (limit ${CONNECTIONS_PER_HOST} per host)`,
      );
      testInfo.annotations.push({ type: "duplicates", description: String(duplicates) });
      expect(mediaRequests).toHaveLength(36);
      expect(duplicates).toBe(0);
      expect(assets).toBe(36);
      expect(site.mostMediaInFlight()).toBe(CONNECTIONS_PER_HOST);
    } finally {
      await close();
    }
  });
}

test("an instance killed mid-job: the other's sweep takes its job over at once (not after the 10-minute stale heartbeat) and completes it", async ({
  site,
}, testInfo) => {
  test.setTimeout(180_000);
  const { first, second, close } = await startPair(site, {});
  try {
    const jobId = await submitGallery(second, `${site.url}/gallery.html?images=12&videos=0&start=6000&delay=700`);
    await expect.poll(async () => (await jobFromApi(first, jobId)).downloaded, { timeout: 30_000 }).toBeGreaterThanOrEqual(2);
    const killedAt = Date.now();
    await second.kill(); // SIGKILL: its engine, with the job's runs, is gone

    // The sweeps run every 2 s here; the job's heartbeat would only go stale after 10 minutes.
    await expect.poll(async () => (await jobFromApi(first, jobId)).status, { timeout: 90_000 }).toBe("completed");
    const seconds = (Date.now() - killedAt) / 1000;
    console.log(`an instance killed mid-job: the other completed its job ${seconds.toFixed(1)} s later`);
    testInfo.annotations.push({ type: "taken over and completed after", description: `${seconds.toFixed(1)} s` });

    expect(await jobFromApi(first, jobId)).toMatchObject({ detected: 12, downloaded: 12, skipped: 0, failed: 0 });
    const detail = (await (await first.api(`/api/jobs/${jobId}`)).json()) as { events: Array<{ message: string }> };
    expect(detail.events.map((event) => event.message)).toContainEqual(expect.stringMatching(/^Recovered: no engine run/));
    const assets = (await (await first.api(`/api/assets?job=${jobId}&perPage=100`)).json()) as {
      total: number;
      assets: Array<{ sha256: string }>;
    };
    expect(assets.total).toBe(12);
    expect(new Set(assets.assets.map((asset) => asset.sha256)).size).toBe(12);
  } finally {
    await close();
  }
});
