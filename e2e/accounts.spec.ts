import http from "node:http";
import type { AddressInfo } from "node:net";
import { test, expect, signInPage } from "./support/fixtures";
import { jobFromApi, submitWebPageJob } from "./support/dashboard";
import { startTrawl } from "./support/trawl-server";

test("first run: every page leads to the set-up, which creates the administrator and signs them in", async ({ browser }) => {
  const trawl = await startTrawl({ allowHosts: [], account: false });
  const page = await browser.newPage();
  try {
    await page.goto(`${trawl.url}/jobs`);
    await expect(page).toHaveURL(`${trawl.url}/setup`);
    const form = page.getByRole("form", { name: "Create the administrator" });
    await form.getByLabel("Username").fill("Ada");
    await form.getByLabel("Password (8 characters or more)").fill("short");
    await form.getByLabel("Password again").fill("short");
    await form.getByRole("button", { name: "Create administrator" }).click();
    await expect(form.getByText("At least 8 characters")).toBeVisible();
    await form.getByLabel("Password (8 characters or more)").fill("a long enough password");
    await form.getByLabel("Password again").fill("a long enough password");
    await form.getByRole("button", { name: "Create administrator" }).click();
    await expect(page).toHaveURL(`${trawl.url}/`);
    await expect(page.getByRole("link", { name: "Your account" })).toHaveText("ada");
    await expect(page.getByRole("link", { name: "Users" })).toBeVisible();
    // The set-up is gone once done; signing out leads to the login page, and signing in back works.
    await page.goto(`${trawl.url}/setup`);
    await expect(page).toHaveURL(`${trawl.url}/`);
    await page.getByRole("button", { name: "Sign out" }).click();
    await expect(page).toHaveURL(`${trawl.url}/login`);
    await page.getByLabel("Username or e-mail").fill("ada");
    await page.getByLabel("Password").fill("wrong password");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByRole("alert", { name: "Sign-in problem" })).toHaveText("Wrong username, e-mail or password.");
    await page.getByLabel("Password").fill("a long enough password");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page).toHaveURL(`${trawl.url}/`);
  } finally {
    await page.close();
    await trawl.kill();
  }
});

test("two users each see only their own jobs, dashboard and assets", async ({ page, trawl, site, browser }) => {
  // The administrator creates a second user on the Users page.
  await page.goto(`${trawl.url}/users`);
  const form = page.getByRole("form", { name: "New user" });
  await form.getByLabel("Username").fill("bea");
  await form.getByLabel("Password (8 characters or more)").fill("bea's password");
  await form.getByRole("button", { name: "Create user" }).click();
  await expect(form.getByRole("status")).toHaveText("User bea created");
  await expect(page.locator('[data-user="bea"]')).toContainText("user");

  // Each runs a job.
  await page.goto(trawl.url);
  await submitWebPageJob(page, `${site.url}/gallery.html?images=2&videos=0&start=100`);
  const beaPage = await browser.newPage();
  const beaCookie = await trawl.signIn("bea", "bea's password");
  await signInPage(beaPage, trawl, beaCookie);
  await beaPage.goto(trawl.url);
  await expect(beaPage.getByRole("link", { name: "Users" })).toHaveCount(0);
  await submitWebPageJob(beaPage, `${site.url}/gallery.html?images=3&videos=0&start=200`);

  const jobsOf = async (cookie: string) =>
    ((await (await trawl.api("/api/jobs", { cookie })).json()) as { jobs: Array<{ id: string }> }).jobs;
  await expect.poll(async () => (await jobsOf(trawl.admin.cookie)).length, { timeout: 10_000 }).toBe(1);
  await expect.poll(async () => (await jobsOf(beaCookie)).length, { timeout: 10_000 }).toBe(1);
  const [adminJob] = await jobsOf(trawl.admin.cookie);
  const [beaJob] = await jobsOf(beaCookie);
  await expect.poll(async () => (await jobFromApi(trawl, adminJob.id)).status, { timeout: 30_000 }).toBe("completed");
  await expect
    .poll(async () => (await (await trawl.api(`/api/jobs/${beaJob.id}`, { cookie: beaCookie })).json()).status, { timeout: 30_000 })
    .toBe("completed");

  // Each sees their own files only, in the API and on the pages.
  const assetsOf = async (cookie: string) =>
    (await (await trawl.api("/api/assets", { cookie })).json()) as { total: number; assets: Array<{ id: string }> };
  expect((await assetsOf(trawl.admin.cookie)).total).toBe(2);
  expect((await assetsOf(beaCookie)).total).toBe(3);
  await beaPage.goto(`${trawl.url}/assets`);
  await expect(beaPage.getByText("3 assets")).toBeVisible();
  await beaPage.goto(`${trawl.url}/jobs`);
  await expect(beaPage.locator("tbody tr")).toHaveCount(1);
  const adminAsset = (await assetsOf(trawl.admin.cookie)).assets[0].id;
  const foreign = await beaPage.goto(`${trawl.url}/assets/${adminAsset}`);
  expect(foreign?.status()).toBe(404);
  expect((await beaPage.goto(`${trawl.url}/jobs/${adminJob.id}`))?.status()).toBe(404);
  expect((await trawl.api(`/api/assets/${adminAsset}/file`, { cookie: beaCookie })).status).toBe(404);
  await page.goto(trawl.url);
  await expect(page.getByRole("link", { name: "Users" })).toBeVisible();
  await page.goto(`${trawl.url}/users`);
  await expect(page.locator('[data-user="bea"]')).toContainText("3 (");
  await beaPage.close();
});

test("a page on another local origin cannot make Trawl do anything; pages carry security headers", async ({ page, trawl }) => {
  // The attacker's page: same site as Trawl (127.0.0.1, another port), so the browser even sends the session cookie.
  const target = trawl.url;
  const attack = `<!doctype html><title>hostile</title><body>
    <form id="f" method="post" action="${target}/api/jobs/bulk" enctype="text/plain"><input name='{"action":"delete-with-assets","ids":["x"],"pad":"' value='"}'></form>
    <script>
      const results = [];
      const tries = [
        fetch("${target}/api/jobs", { method: "POST", mode: "no-cors", credentials: "include", headers: { "content-type": "text/plain" }, body: JSON.stringify({ query: "x", sources: ["web-page"], maxItems: 5, targetUrls: ["http://example.org/"] }) }),
        fetch("${target}/api/cleanup", { method: "POST", mode: "no-cors", credentials: "include" }),
        fetch("${target}/api/sources/openverse", { method: "PATCH", credentials: "include", headers: { "content-type": "application/json" }, body: JSON.stringify({ enabled: false }) }),
        fetch("${target}/api/jobs", { credentials: "include" }).then((r) => r.text()),
      ];
      Promise.allSettled(tries).then((outcomes) => {
        document.title = "done:" + outcomes.map((o) => o.status + (o.status === "fulfilled" && typeof o.value === "string" ? ":read" : "")).join(",");
      });
    </script></body>`;
  const hostile = http.createServer((_request, response) => {
    response.writeHead(200, { "content-type": "text/html" });
    response.end(attack);
  });
  await new Promise<void>((resolve) => hostile.listen(0, "127.0.0.1", resolve));
  const hostileUrl = `http://127.0.0.1:${(hostile.address() as AddressInfo).port}/`;
  try {
    const before = { jobs: await (await trawl.api("/api/jobs")).json(), sources: await (await trawl.api("/api/sources")).json() };
    await page.goto(hostileUrl);
    await expect(page).toHaveTitle(/^done:/, { timeout: 10_000 });
    // Cross-origin reads are blocked by the browser (no CORS headers); the PATCH's preflight fails.
    expect(await page.title()).not.toContain(":read");
    // Then a plain cross-site form post (a top-level navigation, which carries the cookie even under SameSite=Lax rules for same-site pages).
    await Promise.all([
      page.waitForURL(`${target}/api/jobs/bulk`),
      page.evaluate(() => (document.getElementById("f") as HTMLFormElement).submit()),
    ]);
    expect(await page.locator("body").innerText()).toContain("Cross-site request refused");
    expect({ jobs: await (await trawl.api("/api/jobs")).json(), sources: await (await trawl.api("/api/sources")).json() }).toEqual(before);
  } finally {
    await new Promise((resolve) => hostile.close(resolve));
  }

  // A DNS-rebinding page reaches Trawl under a foreign name: refused.
  const rebound = await new Promise<number>((resolve, reject) => {
    const request = http.get(`${trawl.url}/api/jobs`, { headers: { host: "attacker.example", cookie: trawl.admin.cookie } }, (answer) => {
      answer.resume();
      resolve(answer.statusCode ?? 0);
    });
    request.on("error", reject);
  });
  expect(rebound).toBe(403);

  const response = await page.goto(trawl.url);
  const headers = response!.headers();
  expect(headers["content-security-policy"]).toMatch(/script-src 'self' 'nonce-[^']+' 'strict-dynamic'/);
  expect(headers["content-security-policy"]).toContain("frame-ancestors 'none'");
  expect(headers["x-content-type-options"]).toBe("nosniff");
  expect(headers["referrer-policy"]).toBe("same-origin");
  // The app still works under its CSP (its scripts carry the nonce): the search form is interactive.
  await expect(page.getByRole("form", { name: "New search" })).toBeVisible();
});
