// The app's and its functions' ids, in one place: the functions are declared with them, and the
// health checks ask the engine for them. An engine knows a function as "<app id>-<function id>".

export const APP_ID = "trawl";

export const FUNCTION_IDS = {
  runJob: "run-job",
  runSource: "run-source",
  analyseJob: "analyse-job",
  cleanup: "cleanup-old-jobs",
} as const;

/** The functions declared with onFailure: the SDK registers each handler as a function of its own. */
const WITH_FAILURE_HANDLER = [FUNCTION_IDS.runJob, FUNCTION_IDS.runSource, FUNCTION_IDS.analyseJob];

/** Every function as the engine names it ("trawl-run-job", "trawl-run-job-failure", ...). */
export const ENGINE_FUNCTION_IDS: readonly string[] = [
  ...Object.values(FUNCTION_IDS).map((id) => `${APP_ID}-${id}`),
  ...WITH_FAILURE_HANDLER.map((id) => `${APP_ID}-${id}-failure`),
];
