import { z } from "zod";

export const jobStatuses = ["queued", "running", "completed", "completed_with_errors", "failed", "cancelled"] as const;
export type JobStatus = (typeof jobStatuses)[number];
export const jobStatusSchema = z.enum(jobStatuses);

export const ACTIVE_JOB_STATUSES: JobStatus[] = ["queued", "running"];
export const isActiveJobStatus = (status: string) => (ACTIVE_JOB_STATUSES as string[]).includes(status);

export const FINISHED_SOURCE_STATUSES = ["completed", "failed", "skipped", "cancelled"];
export const isFinishedSourceStatus = (status: string) => FINISHED_SOURCE_STATUSES.includes(status);

export const mediaFilters = ["images", "videos", "both"] as const;
