// Preloaded into the app's processes by `BENCH_PROFILE=<dir>` (NODE_OPTIONS does not allow
// --cpu-prof): profiles the main thread from start to SIGTERM and writes a .cpuprofile.
import fs from "node:fs";
import inspector from "node:inspector";
import path from "node:path";

const dir = process.env.BENCH_PROFILE_DIR;
const session = new inspector.Session();
session.connect();
session.post("Profiler.enable");
session.post("Profiler.setSamplingInterval", { interval: 500 });
session.post("Profiler.start");

process.once("SIGTERM", () => {
  session.post("Profiler.stop", (error, result) => {
    if (error) console.error(`cpu profile: ${error.message}`);
    else
      fs.writeFileSync(
        path.join(dir, `${path.basename(process.argv[1] ?? "node")}-${process.pid}.cpuprofile`),
        JSON.stringify(result.profile),
      );
    process.exit(0);
  });
});
