import { test, expect } from "./support/fixtures";

test("an invalid form shows field errors and creates nothing", async ({ page, trawl }) => {
  await page.goto(trawl.url);
  const form = page.getByRole("form", { name: "New search" });
  for (const box of await form.locator('input[name="sources"]').all()) await box.setChecked(false);
  await form.getByLabel("Max items per source").fill("0");
  await form.getByRole("button", { name: "Start download" }).click();
  await expect(form.locator("#sources-error")).toHaveText("Pick at least one source");
  await expect(form.locator("#maxItems-error")).toHaveText("At least 1");

  await form.getByRole("checkbox", { name: "Web page" }).check();
  await form.getByLabel(/Page or file URLs/).fill("ftp://example.org/file.jpg");
  await form.getByLabel("Max items per source").fill("10");
  await form.getByRole("button", { name: "Start download" }).click();
  await expect(form.locator("#targetUrls-error")).toContainText("http:// or https://");

  const jobs = await (await trawl.api(`/api/jobs`)).json();
  expect(jobs).toEqual({ active: 0, jobs: [] });
});

test("the JSON API refuses bad input with a 400 and field messages", async ({ trawl }) => {
  const bad = await trawl.api(`/api/jobs`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ query: "", sources: ["nope"], maxItems: -1 }),
  });
  expect(bad.status).toBe(400);
  const body = await bad.json();
  expect(body.error.message).toBe("Invalid input");
  expect(Object.keys(body.error.fields).sort()).toEqual(["maxItems", "sources"]);

  const notJson = await trawl.api(`/api/jobs`, { method: "POST", headers: { "content-type": "application/json" }, body: "{nope" });
  expect(notJson.status).toBe(400);
  expect((await notJson.json()).error.message).toMatch(/not valid JSON/);
  const notDeclared = await trawl.api(`/api/jobs`, { method: "POST", body: "{}" });
  expect(notDeclared.status).toBe(415);

  expect(await (await trawl.api(`/api/jobs`)).json()).toEqual({ active: 0, jobs: [] });
});
