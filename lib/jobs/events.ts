import type { DbClient } from "@/lib/db";
import { log } from "@/lib/log";

export type EventLevel = "info" | "warn" | "error";

/** A line in the job's event log, mirrored to the server log. */
export async function recordJobEvent(client: DbClient, jobId: string, level: EventLevel, message: string, sourceId?: string) {
  log[level](message, { jobId, sourceId });
  await client.jobEvent.create({ data: { jobId, level, message, sourceId } });
}
