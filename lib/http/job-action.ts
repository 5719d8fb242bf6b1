import { NextResponse } from "next/server";
import { attemptJobAction } from "@/lib/jobs/control";
import { jsonError } from "./responses";

/** Runs a job action for a route handler: its result shaped by `respond`, or the action's 404/409. */
export async function respondToJobAction<T>(action: () => Promise<T>, respond: (result: T) => Response) {
  const outcome = await attemptJobAction(action);
  return outcome.ok ? respond(outcome.result) : jsonError(outcome.status, outcome.message);
}

/** The plain answer of a job action: 200 with the job id and what the action returned. */
export const jobActionResult = (jobId: string) => (result: unknown) => NextResponse.json({ jobId, result: result ?? null });
