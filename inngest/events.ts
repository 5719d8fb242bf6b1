export { JOB_CANCELLED, JOB_REQUESTED, jobEventData, type JobEventData } from "@/lib/jobs/engine-events";
