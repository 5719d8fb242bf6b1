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

test.describe("with a job worker that takes a while to come back", () => {
  // The supervisor waits this long before starting the killed worker again, so the banner can be seen.
  test.use({ trawlEnv: { TRAWL_WORKER_RESTART_MS: "8000" } });

  test("killing only the job worker mid-job: the banner names it while it is down, and the job completes after its restart", async ({
    page,
    trawl,
    site,
  }) => {
    await page.goto(trawl.url);
    await submitWebPageJob(page, `${site.url}/gallery.html?images=12&videos=2&start=201&delay=700`);
    const jobId = await jobIdFromApi(trawl);
    await expect.poll(async () => (await jobFromApi(trawl, jobId)).downloaded, { timeout: 30_000 }).toBeGreaterThanOrEqual(3);

    const worker = trawl.workerPid();
    process.kill(worker, "SIGKILL"); // the web server and the engine live on; the supervisor starts the worker again
    await page.reload();
    await expect(page.getByRole("alert", { name: "Health problems" })).toContainText("worker 1", { timeout: 15_000 });

    await expect.poll(async () => (await jobFromApi(trawl, jobId)).status, { timeout: 90_000 }).toBe("completed");
    expect(trawl.workerPid()).not.toBe(worker);
    const job = await jobFromApi(trawl, jobId);
    expect(job).toMatchObject({ detected: 14, downloaded: 14, skipped: 0, failed: 0 });
    const detail = await (await trawl.api(`/api/jobs/${jobId}`)).json();
    const assets = await (await trawl.api(`/api/assets?job=${jobId}&perPage=100`)).json();
    expect(assets.total).toBe(14);
    expect(new Set(assets.assets.map((a: { sha256: string }) => a.sha256)).size).toBe(14);
    expect(detail.items.filter((i: { status: string }) => i.status !== "downloaded")).toEqual([]);
    expect(trawl.output()).toMatch(/job worker 1 \(pid \d+\) stopped \(SIGKILL\); starting it again/);
  });
});
