import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { test, expect, signInPage } from "./support/fixtures";
import { runDoctor } from "./support/doctor";
import { freePort, startTrawl } from "./support/trawl-server";

const banner = (page: import("@playwright/test").Page) => page.getByRole("alert", { name: "Health problems" });

test("a healthy installation shows no banner and the doctor agrees", async ({ page, trawl }) => {
  await page.goto(`${trawl.url}/health`);
  await expect(page.getByText("Everything Trawl needs is working.")).toBeVisible();
  await expect(banner(page)).toHaveCount(0);
  const doctor = runDoctor({ ...trawl.env, TRAWL_APP_URL: trawl.url });
  expect(doctor.output).toContain("All checks passed.");
  expect(doctor.status).toBe(0);
});

test("the doctor names a DATABASE_URL that points at another file than the running app's", async ({ trawl }) => {
  const other = path.join(os.tmpdir(), `trawl-other-${Date.now()}.db`);
  const doctor = runDoctor({ ...trawl.env, TRAWL_APP_URL: trawl.url, DATABASE_URL: `file:${other}` });
  expect(doctor.status).toBe(1);
  expect(doctor.output).toContain(
    `✗ same database: the running app uses another database than this shell's settings, which point at ${other}`,
  );
  expect(doctor.output).toContain("fix: Use the same DATABASE_URL");
});

test("an unwritable data directory shows in the banner, on /health and in the doctor", async ({ page }) => {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "trawl-baddir-"));
  const blocker = path.join(scratch, "not-a-directory");
  fs.writeFileSync(blocker, "a file where the data directory should be");
  const env = { TRAWL_DATA_DIR: path.join(blocker, "data"), DATABASE_URL: `file:${path.join(scratch, "trawl.db")}` };
  const trawl = await startTrawl({ allowHosts: [], env, healthy: false });
  try {
    await signInPage(page, trawl);
    await page.goto(trawl.url);
    await expect(banner(page)).toContainText("storage:");
    await expect(banner(page)).toContainText("not a directory");
    await page.goto(`${trawl.url}/health`);
    await expect(page.locator('[data-check="storage"]')).toContainText("Fix: Make the data directory writable");
    const doctor = runDoctor({ ...trawl.env, TRAWL_APP_URL: trawl.url });
    expect(doctor.status).toBe(1);
    expect(doctor.output).toMatch(/✗ storage: .*not-a-directory\/data: ENOTDIR/);
  } finally {
    await trawl.kill();
  }
});

test("an engine that cannot be reached shows in the banner", async ({ page }) => {
  const closed = await freePort();
  const trawl = await startTrawl({ allowHosts: [], env: { INNGEST_DEV: `http://127.0.0.1:${closed}` }, healthy: false });
  try {
    await signInPage(page, trawl);
    await page.goto(trawl.url);
    await expect(banner(page)).toContainText(`engine: Inngest Dev Server: http://127.0.0.1:${closed} unreachable`);
    const doctor = runDoctor({ ...trawl.env, TRAWL_APP_URL: trawl.url });
    expect(doctor.status).toBe(1);
    expect(doctor.output).toContain(`✗ engine: Inngest Dev Server: http://127.0.0.1:${closed} unreachable`);
  } finally {
    await trawl.kill();
  }
});
