import { test, expect } from "@playwright/test";
import { signInPage } from "./support/fixtures";
import { startFixtureSite } from "../tests/support/fixture-site";
import { startSourceApiSite } from "../tests/support/source-api-site";
import { e2eResponders as responders } from "../tests/support/source-fixtures";
import { sourceSettingSuffix } from "../lib/config";
import { getSource } from "../lib/sources/registry";
import { keyVariable } from "../lib/sources/settings";
import { activeHeading, jobFromApi, jobIdFromApi } from "./support/dashboard";
import { startTrawl } from "./support/trawl-server";

test("one job across every fixture-backed source completes with per-source results", async ({ page }, testInfo) => {
  const entries = Object.keys(responders);
  expect(entries.length).toBeGreaterThanOrEqual(10);
  const site = await startFixtureSite();
  const api = await startSourceApiSite(responders, site.url);
  const env: Record<string, string> = {};
  for (const id of entries) {
    env[`TRAWL_URL_${sourceSettingSuffix(id)}`] = `${api.url}/${id}`;
    const source = getSource(id);
    if (source.key) env[keyVariable(source)] = "e2e-test-key";
  }
  const trawl = await startTrawl({ allowHosts: [site.hostPort, api.hostPort], env });
  try {
    await signInPage(page, trawl);
    await page.goto(trawl.url);
    const form = page.getByRole("form", { name: "New search" });
    await form.locator("details").evaluateAll((all) => all.forEach((d) => ((d as HTMLDetailsElement).open = true)));
    for (const box of await form.locator('input[name="sources"]').all()) await box.setChecked(false);
    for (const id of entries) await form.locator(`input[name="sources"][value="${id}"]`).check();
    await form.getByLabel("Query").fill("aurora");
    await form.getByLabel("Max items per source").fill("3");
    await form.getByRole("radio", { name: "images" }).check();
    await form.getByRole("button", { name: "Start download" }).click();

    await expect(activeHeading(page)).toHaveText("1 Active Download", { timeout: 2_500 });
    await expect(activeHeading(page)).toHaveText("0 Active Downloads", { timeout: 90_000 });
    const jobId = await jobIdFromApi(trawl);
    const job = await jobFromApi(trawl, jobId);
    expect(job.status).toBe("completed");

    await page.goto(`${trawl.url}/jobs/${jobId}`);
    for (const id of entries) {
      const row = page.locator(`tr[data-source="${id}"]`);
      await expect(row.locator("[data-status]")).toHaveAttribute("data-status", "completed");
      const downloaded = Number(await row.locator("td").nth(4).textContent());
      expect(downloaded, `${id} downloaded`).toBeGreaterThan(0);
    }
    await page.screenshot({ path: testInfo.outputPath("job-many-sources.png"), fullPage: true });
    // Unsplash's terms: every downloaded photo is reported to its download_location.
    expect(api.requests.filter((r) => /^\/unsplash\/photos\/e2eAurora\d+\/download\?ixid=e2e$/.test(r))).toHaveLength(3);
  } finally {
    await trawl.kill();
    await api.close();
    await site.close();
  }
});
