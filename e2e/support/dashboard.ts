import { expect, type Page } from "@playwright/test";
import type { TrawlServer } from "./trawl-server";

/** Fills the search form for the "Web page" source only and submits it. */
export async function submitWebPageJob(page: Page, pageUrl: string, options: { maxItems?: number } = {}) {
  const form = page.getByRole("form", { name: "New search" });
  for (const box of await form.locator('input[name="sources"]').all()) await box.setChecked(false);
  await form.getByRole("checkbox", { name: "Web page" }).check();
  await form.getByLabel(/Page or file URLs/).fill(pageUrl);
  await form.getByLabel("Max items per source").fill(String(options.maxItems ?? 50));
  await form.getByRole("button", { name: "Start download" }).click();
}

export const activeHeading = (page: Page) => page.getByRole("heading", { level: 1 });

/** The newest job's id, once the form's submission (a server action, still running after the click) has created it. */
export async function jobIdFromApi(trawl: TrawlServer) {
  let jobs: Array<{ id: string }> = [];
  await expect
    .poll(async () => {
      jobs = ((await (await trawl.api("/api/jobs?limit=1")).json()) as { jobs: Array<{ id: string }> }).jobs;
      return jobs.length;
    })
    .toBe(1);
  return jobs[0].id;
}

export async function jobFromApi(trawl: TrawlServer, jobId: string) {
  const response = await trawl.api(`/api/jobs/${jobId}`);
  expect(response.status).toBe(200);
  return (await response.json()) as {
    status: string;
    downloaded: number;
    skipped: number;
    failed: number;
    detected: number;
    percent: number;
  };
}
