import { z } from "zod";

// Event names and payloads exchanged with the engine. Every payload is parsed with these
// schemas where it is received.
export const JOB_REQUESTED = "trawl/job.requested";
export const JOB_CANCELLED = "trawl/job.cancelled";

export const jobEventData = z.object({ jobId: z.string().min(1).max(64) });
