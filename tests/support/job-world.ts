import { afterAll, beforeAll } from "vitest";
import { db } from "@/lib/db";
import { startEventIntake, type EventIntake } from "./event-intake";
import { startFixtureSite, type FixtureSite } from "./fixture-site";

export interface JobWorld {
  /** The fixture web site (its host is on the downloader's allow-list). */
  site: FixtureSite;
  /** Where the app's engine events go. */
  intake: EventIntake;
}

/** What a job test file needs around it: started before its tests, stopped (and the database closed) after. */
export function jobWorld(options: { site?: boolean } = {}): JobWorld {
  const world = {} as JobWorld;
  beforeAll(async () => {
    if (options.site !== false) {
      world.site = await startFixtureSite();
      // Only the fixture site's exact host:port may be fetched although it is on loopback.
      process.env.TRAWL_FETCH_ALLOW_HOSTS = world.site.hostPort;
    }
    world.intake = await startEventIntake();
  });
  afterAll(async () => {
    await world.site?.close();
    await world.intake?.close();
    await db().$disconnect();
  });
  return world;
}
