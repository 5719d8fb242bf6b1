// npm run engine: Trawl's offline engine as its own process, the way an Inngest server runs
// beside the app (Vercel-style deployments, or a test of the protocol boundary). The app then
// treats it as an external Inngest server: INNGEST_BASE_URL=http://<host>:<port> plus the same
// INNGEST_SIGNING_KEY and INNGEST_EVENT_KEY, with which the engine signs its requests, checks
// the app's answers and registrations, and refuses events without the key — as Inngest Cloud.
//   TRAWL_ENGINE_HOST, TRAWL_ENGINE_PORT   where it listens (127.0.0.1, 8288)
//   TRAWL_ENGINE_APP_URLS                  the serve routes it calls, comma-separated (default:
//                                          the job workers of this configuration, or the app's /api/inngest)
import { z } from "zod";
import { startLocalEngine } from "@/engine";
import { config, stepServeUrls } from "@/lib/config";
import { errorMessage, log } from "@/lib/log";

process.setSourceMapsEnabled(false); // see scripts/worker.ts

const env = z
  .object({
    TRAWL_ENGINE_HOST: z.string().min(1).default("127.0.0.1"),
    TRAWL_ENGINE_APP_URLS: z
      .string()
      .optional()
      .transform((text) =>
        text
          ?.split(",")
          .map((url) => url.trim())
          .filter(Boolean),
      )
      .pipe(z.array(z.url()).min(1).optional()),
    INNGEST_SIGNING_KEY: z.string().min(1).optional(),
    INNGEST_EVENT_KEY: z.string().min(1).optional(),
  })
  .parse(Object.fromEntries(Object.entries(process.env).filter(([, value]) => value !== "")));

try {
  const cfg = config();
  const engine = await startLocalEngine({
    host: env.TRAWL_ENGINE_HOST,
    port: cfg.engine.port,
    appServeUrls: env.TRAWL_ENGINE_APP_URLS ?? stepServeUrls(cfg),
    signingKey: env.INNGEST_SIGNING_KEY,
    eventKey: env.INNGEST_EVENT_KEY,
    log: (level, message) => log[level](`[offline engine] ${message}`),
  });
  void engine.sync().catch((error: unknown) => log.error("offline engine: sync failed", { error: errorMessage(error) }));
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => {
      engine.stop().then(
        () => process.exit(0),
        (error: unknown) => {
          log.error("offline engine did not stop cleanly", { error: errorMessage(error) });
          process.exit(1);
        },
      );
    });
  }
} catch (error) {
  log.error("offline engine could not start", { error: errorMessage(error) });
  process.exit(1);
}
