import { test as base, expect } from "@playwright/test";
import { startFixtureSite, type FixtureSite } from "../../tests/support/fixture-site";
import { startTrawl, type TrawlServer } from "./trawl-server";

type Fixtures = { site: FixtureSite; trawl: TrawlServer };

/** Every test gets a fresh fixture site and a fresh Trawl that may fetch from it only. */
export const test = base.extend<Fixtures>({
  site: async ({}, provide) => {
    const site = await startFixtureSite();
    await provide(site);
    await site.close();
  },
  trawl: async ({ site }, provide, testInfo) => {
    const trawl = await startTrawl({ allowHosts: [site.hostPort] });
    await provide(trawl);
    await trawl.kill();
    if (testInfo.status !== testInfo.expectedStatus) await testInfo.attach("trawl-server.log", { body: trawl.output(), contentType: "text/plain" });
  },
});

export { expect };
