import { test as base, expect, type Page } from "@playwright/test";
import { startFixtureSite, type FixtureSite } from "../../tests/support/fixture-site";
import { startTrawl, type TrawlServer } from "./trawl-server";

type Fixtures = { site: FixtureSite; trawl: TrawlServer; page: Page; trawlEnv: Record<string, string>; profile: "default" | "vercel" };

/** Every test gets a fresh fixture site and a fresh Trawl that may fetch from it only. */
export const test = base.extend<Fixtures>({
  /** More environment for the Trawl a spec starts (test.use({ trawlEnv: { … } })). */
  trawlEnv: [{}, { option: true }],
  /** The deployment the Trawl runs as (test.use({ profile: "vercel" })): see e2e/support/vercel-style.ts. */
  profile: ["default", { option: true }],
  site: async ({}, provide) => {
    const site = await startFixtureSite();
    await provide(site);
    await site.close();
  },
  trawl: async ({ site, trawlEnv, profile }, provide, testInfo) => {
    const trawl = await startTrawl({ allowHosts: [site.hostPort], env: trawlEnv, profile });
    await provide(trawl);
    await trawl.close();
    if (testInfo.status !== testInfo.expectedStatus)
      await testInfo.attach("trawl-server.log", { body: trawl.output(), contentType: "text/plain" });
  },
  // Pages start signed in as the administrator the server was started with.
  page: async ({ page, trawl }, provide) => {
    await signInPage(page, trawl);
    await provide(page);
  },
});

/** A browser page signed in as the administrator (its session cookie in the context). */
export async function signInPage(page: Page, trawl: TrawlServer, cookie = trawl.admin.cookie) {
  const [name, value] = cookie.split("=");
  await page.context().addCookies([{ name, value: decodeURIComponent(value), url: trawl.url, httpOnly: true, sameSite: "Lax" }]);
}

export { expect };
