import type { Page, TestInfo } from "@playwright/test";
import type { FixtureSite } from "../tests/support/fixture-site";
import { test, expect } from "./support/fixtures";
import { activeHeading, jobFromApi, jobIdFromApi, submitWebPageJob } from "./support/dashboard";
import type { TrawlServer } from "./support/trawl-server";

test("a search becomes a live job on the dashboard and its files land in Assets", async ({ page, trawl, site }, testInfo) => {
  await verticalSlice(page, trawl, site, testInfo);
});

test.describe("in the Vercel-style profile", () => {
  test.skip(!process.env.TEST_DATABASE_URL, "needs a PostgreSQL server: set TEST_DATABASE_URL (CI does)");
  test.use({ profile: "vercel" });

  test("PostgreSQL, an S3 bucket and the engine as separate services; the serve route the only worker; the app directory read-only", async ({
    page,
    trawl,
    site,
  }, testInfo) => {
    const started = Date.now();
    await verticalSlice(page, trawl, site, testInfo);
    const health = await (await trawl.api("/api/health")).json();
    expect(health.checks).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: "database", ok: true, detail: expect.stringMatching(/^postgresql at /) }),
        expect.objectContaining({ name: "object storage", ok: true, detail: expect.stringMatching(/^s3:\/\/trawl-test\/vercel at /) }),
        expect.objectContaining({ name: "engine", ok: true, detail: expect.stringMatching(/ knows Trawl's \d+ functions$/) }),
      ]),
    );
    expect(trawl.vercel!.writtenInProject(started)).toEqual([]);
    const longest = await trawl.vercel!.longestStep();
    console.log(`Vercel-style profile: longest step ${longest.ms} ms (${longest.what})`);
    testInfo.annotations.push({ type: "longest step", description: `${longest.ms} ms: ${longest.what}` });
    // A serverless platform ends a request at its limit (Vercel Hobby: 60 s); every step stays well within it.
    expect(longest.ms).toBeLessThan(60_000);
  });
});

async function verticalSlice(page: Page, trawl: TrawlServer, site: FixtureSite, testInfo: TestInfo) {
  await page.goto(trawl.url);
  await expect(activeHeading(page)).toHaveText("0 Active Downloads");

  // A page with 12 images and 2 small videos, each file served with a delay.
  await submitWebPageJob(page, `${site.url}/gallery.html?images=12&videos=2&delay=1200`);

  // Within one poll (2 s) the job shows as active, with a progress bar.
  await expect(activeHeading(page)).toHaveText("1 Active Download", { timeout: 2_500 });
  const card = page.getByRole("article").first();
  const progress = card.getByRole("progressbar");
  await expect(progress).toBeVisible();

  // The progress rises while files arrive.
  await expect.poll(async () => Number(await progress.getAttribute("aria-valuenow")), { timeout: 30_000 }).toBeGreaterThan(0);
  await expect(card.locator('[data-counter="downloaded"]')).not.toHaveText("0", { timeout: 30_000 });
  await expect(card.getByRole("list", { name: "Latest files" }).getByRole("img").first()).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath("dashboard-active-job.png"), fullPage: true });

  // It completes and leaves the active list.
  await expect(activeHeading(page)).toHaveText("0 Active Downloads", { timeout: 60_000 });
  const jobId = await jobIdFromApi(trawl);
  const job = await jobFromApi(trawl, jobId);
  expect(job).toMatchObject({ status: "completed", detected: 14, downloaded: 14, skipped: 0, failed: 0, percent: 100 });

  await page.goto(`${trawl.url}/jobs/${jobId}`);
  await expect(page.getByText("completed", { exact: true }).first()).toBeVisible();
  await expect(page.getByRole("list", { name: "Event log" })).toContainText("Job completed: 14 downloaded");
  await page.screenshot({ path: testInfo.outputPath("job-page.png"), fullPage: true });

  // The files are in Assets and open in the detail view.
  await page.getByRole("link", { name: "Assets" }).first().click();
  await expect(page.getByText("14 assets")).toBeVisible();
  const grid = page.getByRole("list", { name: "Assets" });
  await expect(grid.getByRole("listitem")).toHaveCount(14);
  await page.screenshot({ path: testInfo.outputPath("assets-grid.png"), fullPage: true });

  await page.getByRole("combobox", { name: "Type" }).selectOption("video");
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(grid.getByRole("listitem")).toHaveCount(2);
  await grid.getByRole("link").first().click();
  const provenance = page.getByRole("definition").filter({ hasText: "Web page" });
  await expect(provenance).toBeVisible();
  await expect(page.getByRole("link", { name: /gallery\.html/ })).toBeVisible();
  await expect(page.locator("video")).toHaveAttribute("src", /\/api\/assets\/.+\/file$/);
  // Size and length are read after the job's downloads (the fixture clips: 96×64, one second).
  await expect(async () => {
    await page.reload();
    await expect(page.getByLabel("Provenance")).toContainText("96×64", { timeout: 1000 });
    await expect(page.getByLabel("Provenance")).toContainText("Length0:01", { timeout: 1000 });
  }).toPass({ timeout: 20_000 });
  await page.screenshot({ path: testInfo.outputPath("asset-video.png"), fullPage: true });

  // The original downloads, and Range requests are honoured so videos can seek.
  const fileUrl = new URL((await page.locator("video").getAttribute("src"))!, trawl.url).toString();
  const ranged = await fetch(fileUrl, { headers: { Range: "bytes=0-99", cookie: trawl.admin.cookie } });
  // A stored file can never run script on Trawl's origin.
  expect(ranged.headers.get("content-security-policy")).toMatch(/^sandbox;/);
  expect(ranged.headers.get("x-content-type-options")).toBe("nosniff");
  expect((await fetch(fileUrl)).status).toBe(401);
  expect(ranged.status).toBe(206);
  expect(ranged.headers.get("content-range")).toMatch(/^bytes 0-99\/\d+$/);
  expect((await ranged.arrayBuffer()).byteLength).toBe(100);
  const download = page.waitForEvent("download");
  await page.getByRole("link", { name: "Download" }).click();
  expect((await download).suggestedFilename()).toMatch(/^clip-\d\.(webm|mp4)$/);
}
