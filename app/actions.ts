"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { sendEvent } from "@/inngest/client";
import { db } from "@/lib/db";
import { createJob } from "@/lib/jobs/create";
import { createJobInput, fieldErrors } from "@/lib/jobs/input";
import { attemptJobAction as jobAction, bulkJobs, cancelJob, deleteJob, rerunJob, retryJob, type bulkAction } from "@/lib/jobs/control";
import { runMaintenance } from "@/lib/maintenance";
import { config } from "@/lib/config";
import { z } from "zod";
import { deleteAsset } from "@/lib/assets/queries";
import { storage } from "@/lib/storage";
import { errorMessage, log } from "@/lib/log";
import { setSourceApiKey, setSourceEnabled } from "@/lib/sources/catalog-state";
import { getSource, isSourceId } from "@/lib/sources/registry";
import { pageUser } from "@/lib/auth/page-user";
import type { RequestUser } from "@/lib/auth/request-user";

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
  const user = await pageUser();
  const values = formValues(form);
  const parsed = createJobInput.safeParse(values);
  if (!parsed.success) return { status: "invalid", fields: fieldErrors(parsed.error), values };
  try {
    const result = await createJob(db(), sendEvent, user.id, parsed.data);
    revalidatePath("/");
    return result.dispatched
      ? { status: "created", jobId: result.jobId, dispatched: true, message: "Job created" }
      : { status: "created", jobId: result.jobId, dispatched: false, message: result.reason };
  } catch (error) {
    log.error("creating a job failed", { error: errorMessage(error) });
    return { status: "error", message: `The job was not created: ${errorMessage(error)}`, values };
  }
}

export async function cancelJobAction(jobId: string) {
  const user = await pageUser();
  return jobAction(() => cancelJob(db(), sendEvent, user.id, jobId));
}

export async function retryJobAction(jobId: string) {
  const user = await pageUser();
  return jobAction(() => retryJob(db(), sendEvent, user.id, jobId));
}

export async function rerunJobAction(jobId: string) {
  const user = await pageUser();
  const outcome = await jobAction(() => rerunJob(db(), sendEvent, user.id, jobId));
  if (outcome.ok) redirect(`/jobs/${outcome.result.jobId}`);
  return outcome;
}

export async function deleteJobAction(jobId: string, withAssets: boolean) {
  const user = await pageUser();
  const outcome = await jobAction(() => deleteJob(db(), storage(), user.id, jobId, { withAssets }));
  if (outcome.ok) redirect("/jobs");
  return outcome;
}

export async function bulkJobsAction(request: z.infer<typeof bulkAction>) {
  const user = await pageUser();
  const results = await bulkJobs(db(), sendEvent, storage(), user.id, request);
  revalidatePath("/jobs");
  return results;
}

const notAdmin = (user: RequestUser) =>
  user.role === "admin" ? null : { ok: false as const, message: "Only an administrator may do this" };

export async function cleanupAction() {
  const refused = notAdmin(await pageUser());
  if (refused) return refused;
  const report = await runMaintenance(db(), config());
  revalidatePath("/jobs");
  return { ok: true as const, report };
}

export async function deleteAssetAction(assetId: string) {
  const user = await pageUser();
  const deleted = await deleteAsset(db(), storage(), user.id, assetId);
  if (!deleted) return { ok: false as const, message: "Asset not found" };
  revalidatePath("/assets");
  redirect("/assets");
}

export async function setSourceEnabledAction(sourceId: string, enabled: boolean) {
  const refused = notAdmin(await pageUser());
  if (refused) return refused;
  if (!isSourceId(sourceId)) return { ok: false as const, message: "Source not found" };
  await setSourceEnabled(db(), sourceId, enabled);
  revalidatePath("/sources");
  revalidatePath("/");
  return { ok: true as const };
}

const sourceKeyInput = z.string().trim().min(1, "Paste the key").max(512, "At most 512 characters");

/** Sets (or, with null, clears) a key-gated source's API key; the key is never sent back to the browser. */
export async function setSourceKeyAction(sourceId: string, key: string | null) {
  const refused = notAdmin(await pageUser());
  if (refused) return refused;
  if (!isSourceId(sourceId) || !getSource(sourceId).key) return { ok: false as const, message: "Not a key-gated source" };
  const parsed = key === null ? null : sourceKeyInput.safeParse(key);
  if (parsed && !parsed.success) return { ok: false as const, message: parsed.error.issues[0].message };
  await setSourceApiKey(db(), sourceId, parsed ? parsed.data : null);
  revalidatePath("/sources");
  return { ok: true as const };
}
