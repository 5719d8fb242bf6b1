import path from "node:path";
import Database from "better-sqlite3";
import { test, expect } from "./support/fixtures";
import { jobFromApi, jobIdFromApi, submitWebPageJob } from "./support/dashboard";

const finished = (status: string) => status !== "queued" && status !== "running";

test("retry failed, re-run with skips, bulk delete and clean-up", async ({ page, trawl, site }) => {
  await page.goto(trawl.url);
  await submitWebPageJob(page, `${site.url}/mixed.html`);
  const firstId = await jobIdFromApi(trawl);
  await expect.poll(async () => (await jobFromApi(trawl, firstId)).status, { timeout: 30_000 }).toBe("completed_with_errors");

  // Retry failed: the three failing items are tried again and fail again, with their reasons.
  await page.goto(`${trawl.url}/jobs/${firstId}`);
  await page.getByRole("button", { name: "Retry failed" }).click();
  await expect(page.getByRole("list", { name: "Event log" })).toContainText("Retry requested");
  await expect.poll(async () => finished((await jobFromApi(trawl, firstId)).status), { timeout: 30_000 }).toBe(true);
  expect(await jobFromApi(trawl, firstId)).toMatchObject({ status: "completed_with_errors", downloaded: 2, skipped: 1, failed: 3 });

  // Re-run: a new job with the same parameters skips what is already in Assets.
  await page.goto(`${trawl.url}/jobs/${firstId}`);
  await page.getByRole("button", { name: "Re-run" }).click();
  await page.waitForURL((url) => url.pathname.startsWith("/jobs/") && !url.pathname.endsWith(firstId));
  const rerunId = page.url().split("/").at(-1)!;
  await expect.poll(async () => finished((await jobFromApi(trawl, rerunId)).status), { timeout: 30_000 }).toBe(true);
  expect(await jobFromApi(trawl, rerunId)).toMatchObject({ downloaded: 0, skipped: 3, failed: 3 });
  const assets = (await (await trawl.api(`/api/assets`)).json()).total;
  expect(assets).toBe(2);

  // Clean-up removes finished jobs older than TRAWL_CLEANUP_AFTER_DAYS (30): age the first job.
  const sqlite = new Database(path.join(trawl.dataDir, "trawl.db"));
  sqlite
    .prepare("UPDATE Job SET createdAt = ? WHERE id = ?")
    .run(new Date(Date.now() - 40 * 86_400_000).toISOString().replace("Z", "+00:00"), firstId);
  sqlite.close();
  await page.goto(`${trawl.url}/jobs`);
  await expect(page.locator("tr[data-job-id]")).toHaveCount(2);
  await page.getByRole("button", { name: "Clean up now" }).click();
  await expect(page.getByRole("status")).toContainText("Clean-up removed 1 finished job(s)");
  await expect(page.locator("tr[data-job-id]")).toHaveCount(1);

  // Bulk delete with files: the re-run job stored nothing itself, so the assets stay.
  await page.getByRole("checkbox", { name: "Select all" }).check();
  await page.getByRole("button", { name: "Delete selected", exact: true }).click();
  await expect(page.getByRole("status")).toContainText("1 job(s): delete done");
  await expect(page.locator("tr[data-job-id]")).toHaveCount(0);
  expect((await (await trawl.api(`/api/assets`)).json()).total).toBe(2);
});
