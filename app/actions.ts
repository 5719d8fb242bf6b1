"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { sendEvent } from "@/inngest/send";
import { db } from "@/lib/db";
import { createJob } from "@/lib/jobs/create";
import { createJobInput, fieldErrors } from "@/lib/jobs/input";
import { cancelJob, JobActionError, retryJob } from "@/lib/jobs/control";
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

async function jobAction(action: typeof cancelJob | typeof retryJob, jobId: string) {
  try {
    await action(db(), sendEvent, jobId);
    return { ok: true as const };
  } catch (error) {
    if (error instanceof JobActionError) return { ok: false as const, message: error.message };
    throw error;
  }
}

export async function cancelJobAction(jobId: string) {
  return jobAction(cancelJob, jobId);
}

export async function retryJobAction(jobId: string) {
  return jobAction(retryJob, jobId);
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
