import type { Db } from "@/lib/db";
import type { CreateJobInput } from "./input";
import { dispatchJob, type SendEvent } from "./dispatch";
import { recordJobEvent } from "./events";

/**
 * Creates a job: one transaction writes the job, its per-source rows and the "queued"
 * event; only then is the engine told. If the transaction fails nothing exists and the
 * error reaches the caller; if the engine refuses, the job is failed with the reason.
 */
export async function createJob(client: Db, send: SendEvent, userId: string, input: CreateJobInput) {
  const job = await client.$transaction(async (tx) => {
    const created = await tx.job.create({
      data: {
        userId,
        query: input.query,
        targetUrls: JSON.stringify(input.targetUrls),
        mediaTypes: input.mediaTypes,
        maxItems: input.maxItems,
        safeSearch: input.safeSearch,
        redownload: input.redownload,
        status: "queued",
        sources: { create: input.sources.map((sourceId) => ({ sourceId, status: "queued" })) },
      },
    });
    await recordJobEvent(tx, created.id, "info", `Queued: ${describe(input)}`);
    return created;
  });
  const dispatch = await dispatchJob(client, send, job.id, "Sent to the engine");
  return { jobId: job.id, ...dispatch };
}

function describe(input: CreateJobInput) {
  const what = input.query ? `"${input.query}"` : `${input.targetUrls.length} URL(s)`;
  return `${what}, ${input.mediaTypes}, up to ${input.maxItems} per source, sources: ${input.sources.join(", ")}`;
}
