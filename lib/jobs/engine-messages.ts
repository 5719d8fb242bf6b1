import { z } from "zod";

// Event names and payloads exchanged with the engine. Every payload is parsed with these
// schemas where it is received.
export const JOB_REQUESTED = "trawl/job.requested";
export const JOB_CANCELLED = "trawl/job.cancelled";

export const jobEventData = z.object({ jobId: z.string().min(1).max(64) });

/** A source's turn in its own engine run; a run that stops before the source is done sends the next with its progress. */
export const SOURCE_REQUESTED = "trawl/job.source.requested";
/** The analysis of a finished job's files, in runs of their own. */
export const ANALYSIS_REQUESTED = "trawl/job.analysis.requested";

export const sourceRunRequest = jobEventData.extend({
  sourceId: z.string().min(1).max(64),
  /** "<jobId>/<sourceId>": the concurrency key that keeps one run per source of a job at a time. */
  lane: z.string().min(1).max(130),
  /** The source's own page cursor (lib/sources/cursor.ts), null before its first page. */
  cursor: z.string().max(4096).nullable(),
  round: z.number().int().min(0),
  searching: z.boolean(),
});
export type SourceRunRequest = z.infer<typeof sourceRunRequest>;

export const analysisRequest = jobEventData.extend({ round: z.number().int().min(0) });
