import { test, expect } from "./support/fixtures";
import { activeHeading, jobFromApi, jobIdFromApi, submitWebPageJob } from "./support/dashboard";

test("cancelling a running job stops it and shows it cancelled", async ({ page, trawl, site }) => {
  await page.goto(trawl.url);
  await submitWebPageJob(page, `${site.url}/gallery.html?images=12&videos=2&delay=1500`);
  await expect(activeHeading(page)).toHaveText("1 Active Download", { timeout: 2_500 });
  const jobId = await jobIdFromApi(trawl);

  await page.goto(`${trawl.url}/jobs/${jobId}`);
  await expect(page.locator('[data-counter="detected"]')).toHaveText("14", { timeout: 20_000 });
  await page.getByRole("button", { name: "Cancel" }).click();
  await expect(page.locator("[data-status]").first()).toHaveAttribute("data-status", "cancelled");
  await expect(page.getByRole("list", { name: "Event log" })).toContainText("Cancelled by user");

  // No download starts after the cancel: the counts settle below the total and stay there.
  const settled = await jobFromApi(trawl, jobId);
  await page.waitForTimeout(4_000);
  const later = await jobFromApi(trawl, jobId);
  expect(later.status).toBe("cancelled");
  expect(later.downloaded).toBeLessThan(14);
  expect(later.downloaded).toBeLessThanOrEqual(settled.downloaded + 4); // at most the files already in flight
  const assets = await (await trawl.api(`/api/assets?job=${jobId}`)).json();
  expect(assets.total).toBe(later.downloaded);

  await page.goto(trawl.url);
  await expect(activeHeading(page)).toHaveText("0 Active Downloads");
});
