// Starts job worker n (TRAWL_WORKER_INDEX, 1 by default) on TRAWL_WORKER_PORT + n - 1; run by
// scripts/serve.mjs, which restarts it when it dies. SIGINT and SIGTERM close it.
import { z } from "zod";
import { config } from "@/lib/config";
import { errorMessage, log } from "@/lib/log";
import { startWorker } from "@/server/worker";

// tsx (which runs this file) turns on source maps for the whole process; they make every
// function compiled later (Prisma's query interpreter compiles some per query) and every stack
// trace cost a source-map lookup. Logged errors carry their messages; positions are the compiled ones.
process.setSourceMapsEnabled(false);

const index = z.coerce
  .number()
  .int()
  .min(1)
  .default(1)
  .parse(process.env.TRAWL_WORKER_INDEX || undefined);
const address = config().workers.find((worker) => worker.index === index);
if (!address) {
  log.error(`no job worker ${index}: TRAWL_WORKERS is ${config().workers.length}`);
  process.exit(2);
}

try {
  const worker = await startWorker({ port: address.port, name: `job worker ${index}` });
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => {
      worker.close().then(
        () => process.exit(0),
        (error: unknown) => {
          log.error(`job worker ${index} did not close cleanly`, { error: errorMessage(error) });
          process.exit(1);
        },
      );
    });
  }
} catch (error) {
  log.error(`job worker ${index} could not start`, { error: errorMessage(error) });
  process.exit(1);
}
