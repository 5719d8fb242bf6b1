export { JOB_CANCELLED, JOB_REQUESTED, jobEventData } from "@/lib/jobs/engine-events";
