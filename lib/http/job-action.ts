import { NextResponse } from "next/server";
import type { Db } from "@/lib/db";
import type { SendEvent } from "@/lib/jobs/dispatch";
import { JobActionError } from "@/lib/jobs/control";
import { jsonError } from "./responses";

type Action = (client: Db, send: SendEvent, jobId: string) => Promise<unknown>;

/** Runs a job action for a route handler: 200 with the job id, or the action's 404/409. */
export async function respondToJobAction(action: Action, client: Db, send: SendEvent, jobId: string) {
  try {
    const result = await action(client, send, jobId);
    return NextResponse.json({ jobId, result: result ?? null });
  } catch (error) {
    if (error instanceof JobActionError) return jsonError(error.status, error.message);
    throw error;
  }
}
