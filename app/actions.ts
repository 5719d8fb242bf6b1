"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { sendEvent } from "@/inngest/send";
import { db } from "@/lib/db";
import { createJob } from "@/lib/jobs/create";
import { createJobInput, fieldErrors } from "@/lib/jobs/input";
import { bulkJobs, cancelJob, deleteJob, JobActionError, rerunJob, retryJob, type bulkAction } from "@/lib/jobs/control";
import { runMaintenance } from "@/lib/maintenance";
import { config } from "@/lib/config";
import type { z } from "zod";
import { deleteAsset } from "@/lib/assets/queries";
import { storage } from "@/lib/storage";
import { errorMessage, log } from "@/lib/log";
import { setSourceEnabled } from "@/lib/sources/health";
import { isSourceId } from "@/lib/sources/registry";

export type CreateJobState =
  | { status: "idle" }
  | { status: "invalid"; fields: Record<string, string[]>; values: Record<string, unknown> }
  | { status: "error"; message: string; values: Record<string, unknown> }
  | { status: "created"; jobId: string; dispatched: boolean; message: string };

function formValues(form: FormData) {
  return {
    query: form.get("query") ?? "",
    sources: form.getAll("sources"),
    mediaTypes: form.get("mediaTypes") ?? undefined,
    maxItems: form.get("maxItems") ?? undefined,
    safeSearch: form.get("safeSearch") === "on",
    redownload: form.get("redownload") === "on",
    targetUrls: form.get("targetUrls") ?? "",
  };
}

export async function createJobAction(_previous: CreateJobState, form: FormData): Promise<CreateJobState> {
  const values = formValues(form);
  const parsed = createJobInput.safeParse(values);
  if (!parsed.success) return { status: "invalid", fields: fieldErrors(parsed.error), values };
  try {
    const result = await createJob(db(), sendEvent, parsed.data);
    revalidatePath("/");
    return result.dispatched
      ? { status: "created", jobId: result.jobId, dispatched: true, message: "Job created" }
      : { status: "created", jobId: result.jobId, dispatched: false, message: result.reason };
  } catch (error) {
    log.error("creating a job failed", { error: errorMessage(error) });
    return { status: "error", message: `The job was not created: ${errorMessage(error)}`, values };
  }
}

/** Runs a job action; its expected refusals (404/409) become a message for the page. */
async function jobAction<T>(action: () => Promise<T>) {
  try {
    return { ok: true as const, result: await action() };
  } catch (error) {
    if (error instanceof JobActionError) return { ok: false as const, message: error.message };
    throw error;
  }
}

export async function cancelJobAction(jobId: string) {
  return jobAction(() => cancelJob(db(), sendEvent, jobId));
}

export async function retryJobAction(jobId: string) {
  return jobAction(() => retryJob(db(), sendEvent, jobId));
}

export async function rerunJobAction(jobId: string) {
  const outcome = await jobAction(() => rerunJob(db(), sendEvent, jobId));
  if (outcome.ok) redirect(`/jobs/${outcome.result.jobId}`);
  return outcome;
}

export async function deleteJobAction(jobId: string, withAssets: boolean) {
  const outcome = await jobAction(() => deleteJob(db(), storage(), jobId, { withAssets }));
  if (outcome.ok) redirect("/jobs");
  return outcome;
}

export async function bulkJobsAction(request: z.infer<typeof bulkAction>) {
  const results = await bulkJobs(db(), sendEvent, storage(), request);
  revalidatePath("/jobs");
  return results;
}

export async function cleanupAction() {
  const report = await runMaintenance(db(), config());
  revalidatePath("/jobs");
  return report;
}

export async function deleteAssetAction(assetId: string) {
  const deleted = await deleteAsset(db(), storage(), assetId);
  if (!deleted) return { ok: false as const, message: "Asset not found" };
  revalidatePath("/assets");
  redirect("/assets");
}

export async function setSourceEnabledAction(sourceId: string, enabled: boolean) {
  if (!isSourceId(sourceId)) return { ok: false as const, message: "Source not found" };
  await setSourceEnabled(db(), sourceId, enabled);
  revalidatePath("/sources");
  revalidatePath("/");
  return { ok: true as const };
}
