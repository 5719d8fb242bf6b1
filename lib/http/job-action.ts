import { NextResponse } from "next/server";
import { JobActionError } from "@/lib/jobs/control";
import { jsonError } from "./responses";

/** Runs a job action for a route handler: its result shaped by `respond`, or the action's 404/409. */
export async function respondToJobAction<T>(action: () => Promise<T>, respond: (result: T) => Response) {
  try {
    return respond(await action());
  } catch (error) {
    if (error instanceof JobActionError) return jsonError(error.status, error.message);
    throw error;
  }
}

/** The plain answer of a job action: 200 with the job id and what the action returned. */
export const jobActionResult = (jobId: string) => (result: unknown) => NextResponse.json({ jobId, result: result ?? null });
