import { test, expect } from "./support/fixtures";
import { startS3Server } from "../tests/support/s3-server";
import { createDatabase, dropDatabases, newDatabaseName } from "../tests/support/test-databases";
import { ADMIN, startTrawl } from "./support/trawl-server";

// Two Trawl instances (each a web server with its engine and a job worker) on one PostgreSQL
// database and one S3-compatible bucket, behaving as one Trawl: the per-host connection limit
// holds for both together, the recovery sweep has one holder, and no item is downloaded twice.
test.skip(!process.env.TEST_DATABASE_URL, "needs a PostgreSQL server: set TEST_DATABASE_URL (CI does)");

const CONNECTIONS_PER_HOST = 2;

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
    const server = process.env.TEST_DATABASE_URL!;
    const prefix = newDatabaseName("trawl_e2e_pair");
    const s3 = await startS3Server("pair");
    const shared = {
      ...s3.env,
      DATABASE_URL: await createDatabase(server, `${prefix}_app`),
      TRAWL_DOWNLOAD_CONNECTIONS_PER_HOST: String(CONNECTIONS_PER_HOST),
      ...limitEnv,
    };
    const first = await startTrawl({ allowHosts: [site.hostPort], env: shared });
    const second = await startTrawl({ allowHosts: [site.hostPort], env: shared, account: false });
    try {
      second.admin.cookie = await second.signIn(ADMIN.username, ADMIN.password);
      // Three jobs on each instance, over distinct galleries of slow images: twelve transfers at a time wanted.
      const jobIds: string[] = [];
      for (const [n, trawl] of [first, second, first, second, first, second].entries()) {
        const response = await trawl.api("/api/jobs", {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({
            sources: ["web-page"],
            mediaTypes: "images",
            maxItems: 20,
            targetUrls: [`${site.url}/gallery.html?images=6&videos=0&start=${5000 + n * 10}&delay=150`],
          }),
        });
        expect(response.status).toBe(201);
        jobIds.push(((await response.json()) as { jobId: string }).jobId);
      }
      await expect
        .poll(
          async () => {
            const jobs = await Promise.all(
              jobIds.map(async (id) => (await (await first.api(`/api/jobs/${id}`)).json()) as { status: string }),
            );
            return jobs.map((job) => job.status);
          },
          { timeout: 120_000 },
        )
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
      await first.close();
      await second.close();
      await s3.close();
      await dropDatabases(server, prefix);
    }
  });
}
