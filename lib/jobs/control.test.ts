import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { jobWorld } from "@/tests/support/job-world";
import { config } from "@/lib/config";
import { db } from "@/lib/db";
import { storage } from "@/lib/storage";
import { runSteps } from "@/tests/support/run-steps";
import { bulkJobs, cancelJob, deleteJob, JobActionError, rerunJob, retryJob } from "./control";
import { createJob } from "./create";
import { createJobInput } from "./input";
import { ownerId } from "@/tests/support/users";

const world = jobWorld();

const gallery = (start: number, images = 3) =>
  createJobInput.parse({
    sources: ["web-page"],
    maxItems: 20,
    targetUrls: [`${world.site.url}/gallery.html?images=${images}&videos=0&start=${start}`],
  });

const filesOnDisk = () =>
  fs.readdirSync(path.join(config().dataDir, "files"), { recursive: true }).filter((f) => String(f).endsWith(".png")).length;

describe("job control", () => {
  it("re-run creates a new job that skips what is already stored, unless asked to download again", async () => {
    const first = await createJob(db(), world.intake.send, await ownerId(), gallery(700));
    await runSteps(first.jobId);
    const rerun = await rerunJob(db(), world.intake.send, await ownerId(), first.jobId);
    expect(rerun.jobId).not.toBe(first.jobId);
    expect(await runSteps(rerun.jobId)).toEqual({ status: "completed" });
    const again = await db().job.findUniqueOrThrow({ where: { id: rerun.jobId } });
    expect(again).toMatchObject({ detected: 3, downloaded: 0, skipped: 3, failed: 0 });
    const requestsBefore = world.site.requests.length;
    const forced = await createJob(db(), world.intake.send, await ownerId(), { ...gallery(700), redownload: true });
    await runSteps(forced.jobId);
    expect(world.site.requests.length - requestsBefore).toBe(4); // the page and the 3 images were fetched again
    // Fetched again, but the bytes are identical: still one asset each.
    expect(await db().job.findUniqueOrThrow({ where: { id: forced.jobId } })).toMatchObject({ downloaded: 0, skipped: 3 });
  });

  it("deletes a job keeping its assets, or with them and their files", async () => {
    const keep = await createJob(db(), world.intake.send, await ownerId(), gallery(720, 2));
    await runSteps(keep.jobId);
    const assetsBefore = await db().asset.count();
    await deleteJob(db(), storage(), await ownerId(), keep.jobId, { withAssets: false });
    expect(await db().job.findUnique({ where: { id: keep.jobId } })).toBeNull();
    expect(await db().asset.count()).toBe(assetsBefore);

    const drop = await createJob(db(), world.intake.send, await ownerId(), gallery(740, 2));
    await runSteps(drop.jobId);
    const files = filesOnDisk();
    expect(await deleteJob(db(), storage(), await ownerId(), drop.jobId, { withAssets: true })).toEqual({ deleted: true, assets: 2 });
    expect(await db().asset.count()).toBe(assetsBefore);
    expect(filesOnDisk()).toBe(files - 2);
  });

  it("refuses to delete an active job and reports each outcome of a bulk action", async () => {
    const active = await createJob(db(), world.intake.send, await ownerId(), gallery(760, 1));
    await expect(deleteJob(db(), storage(), await ownerId(), active.jobId, { withAssets: false })).rejects.toBeInstanceOf(JobActionError);
    const results = await bulkJobs(db(), world.intake.send, storage(), await ownerId(), {
      action: "cancel",
      ids: [active.jobId, "missing-job"],
    });
    expect(results).toEqual([
      { jobId: active.jobId, ok: true },
      { jobId: "missing-job", ok: false, message: "Job not found" },
    ]);
    expect(world.intake.events.at(-1)).toMatchObject({ name: "trawl/job.cancelled", data: { jobId: active.jobId } });
    await expect(cancelJob(db(), world.intake.send, await ownerId(), active.jobId)).rejects.toThrow("Job is already cancelled");
  });

  it("retry puts failed items back and dispatches the job again", async () => {
    const job = await createJob(
      db(),
      world.intake.send,
      await ownerId(),
      createJobInput.parse({ sources: ["web-page"], maxItems: 20, targetUrls: [`${world.site.url}/mixed.html`] }),
    );
    await runSteps(job.jobId);
    expect((await db().job.findUniqueOrThrow({ where: { id: job.jobId } })).status).toBe("completed_with_errors");
    await retryJob(db(), world.intake.send, await ownerId(), job.jobId);
    const row = await db().job.findUniqueOrThrow({ where: { id: job.jobId }, include: { items: true } });
    expect(row.status).toBe("queued");
    expect(row.items.filter((i) => i.status === "pending")).toHaveLength(3);
    expect(world.intake.events.at(-1)).toMatchObject({ name: "trawl/job.requested", data: { jobId: job.jobId } });
    // The retried source runs again and the failures come back with their reasons.
    expect(await runSteps(job.jobId)).toEqual({ status: "completed_with_errors" });
    expect(await db().job.findUniqueOrThrow({ where: { id: job.jobId } })).toMatchObject({ downloaded: 2, skipped: 1, failed: 3 });
  });
});
