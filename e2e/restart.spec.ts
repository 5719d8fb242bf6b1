import { test, expect } from "./support/fixtures";
import { jobFromApi, jobIdFromApi, submitWebPageJob } from "./support/dashboard";

test("killing and restarting the server mid-job still completes it without duplicate assets", async ({ page, trawl, site }) => {
  await page.goto(trawl.url);
  await submitWebPageJob(page, `${site.url}/gallery.html?images=12&videos=2&delay=700`);
  const jobId = await jobIdFromApi(trawl);
  await expect.poll(async () => (await jobFromApi(trawl, jobId)).downloaded, { timeout: 30_000 }).toBeGreaterThanOrEqual(3);

  await trawl.kill(); // SIGKILL: the in-memory engine loses the run
  await trawl.start(); // the recovery sweep dispatches the job again

  await expect.poll(async () => (await jobFromApi(trawl, jobId)).status, { timeout: 90_000 }).toBe("completed");
  const job = await jobFromApi(trawl, jobId);
  expect(job).toMatchObject({ detected: 14, downloaded: 14, skipped: 0, failed: 0 });
  const assets = await (await trawl.api(`/api/assets?perPage=100`)).json();
  expect(assets.total).toBe(14);
  expect(new Set(assets.assets.map((a: { sha256: string }) => a.sha256)).size).toBe(14);

  const detail = await (await trawl.api(`/api/jobs/${jobId}`)).json();
  expect(detail.events.map((e: { message: string }) => e.message)).toContainEqual(expect.stringMatching(/^Recovered: no engine run/));
});
