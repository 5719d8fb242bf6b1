import fs from "node:fs";
import { describe, expect, it } from "vitest";
import { jobWorld } from "@/tests/support/job-world";
import { db } from "@/lib/db";
import { storage } from "@/lib/storage";
import { createJob } from "@/lib/jobs/create";
import { createJobInput } from "@/lib/jobs/input";
import { downloadBatch, finishJob, searchSourcePage, startJob } from "@/lib/jobs/run";
import { analysePendingImages } from "./analysis";

const world = jobWorld();

/** A job over the fixture gallery, downloaded and finished but not yet analysed. */
async function downloadedJob(images: number, start: number) {
  const input = createJobInput.parse({ sources: ["web-page"], maxItems: 50, mediaTypes: "both", targetUrls: [`${world.site.url}/gallery.html?images=${images}&videos=1&start=${start}`] });
  const { jobId } = await createJob(db(), world.intake.send, input);
  await startJob(db(), jobId, "test-run");
  await searchSourcePage(db(), jobId, "web-page", null, 0);
  while (!(await downloadBatch(db(), jobId, "web-page")).done);
  await finishJob(db(), jobId);
  return jobId;
}

describe("analysePendingImages", () => {
  it("hashes a job's images after its downloads, leaves videos alone, and records an undecodable image's reason", async () => {
    const jobId = await downloadedJob(3, 500);
    const job = await db().job.findUniqueOrThrow({ where: { id: jobId } });
    expect(job.status).toBe("completed");
    const downloaded = await db().asset.findMany({ where: { jobId }, orderBy: { originalName: "asc" } });
    expect(downloaded.map((a) => a.mediaType).sort()).toEqual(["image", "image", "image", "video"]);
    // The download path stores no perceptual hash: that is the analysis' job.
    expect(downloaded.filter((a) => a.mediaType === "image").every((a) => a.perceptualHash === null && a.analysedAt === null)).toBe(true);
    expect(downloaded.find((a) => a.mediaType === "video")?.analysedAt).not.toBeNull();

    const broken = downloaded.find((a) => a.mediaType === "image")!;
    fs.writeFileSync(storage().absolutePath(broken.storageKey), "no longer a PNG");

    expect(await analysePendingImages(db(), storage(), { jobId })).toEqual({ done: true, analysed: 3, failed: 1 });
    const analysed = await db().asset.findMany({ where: { jobId, mediaType: "image" } });
    for (const asset of analysed) {
      expect(asset.analysedAt).not.toBeNull();
      if (asset.id === broken.id) {
        expect(asset.perceptualHash).toBeNull();
        expect(asset.analysisError).toMatch(/^no perceptual hash: /);
      } else {
        expect(asset.perceptualHash).toMatch(/^[0-9a-f]{16}$/);
        expect(asset.analysisError).toBeNull();
      }
    }
    const warning = await db().jobEvent.findFirst({ where: { jobId, level: "warn", message: { contains: "no perceptual hash" } } });
    expect(warning?.message).toContain(broken.originalName);

    // Done is done: nothing is analysed twice.
    expect(await analysePendingImages(db(), storage(), { jobId })).toEqual({ done: true, analysed: 0, failed: 0 });
  });

  it("keeps to its scope: one job's analysis leaves another job's images to it, maintenance takes only older ones", async () => {
    const first = await downloadedJob(2, 600);
    const second = await downloadedJob(2, 700);
    await analysePendingImages(db(), storage(), { jobId: first });
    expect(await db().asset.count({ where: { jobId: second, mediaType: "image", analysedAt: null } })).toBe(2);

    const longAgo = new Date(Date.now() - 3_600_000);
    expect(await analysePendingImages(db(), storage(), { createdBefore: longAgo })).toMatchObject({ analysed: 0 });
    expect(await analysePendingImages(db(), storage(), { createdBefore: new Date(Date.now() + 1000) })).toMatchObject({ analysed: 2 });
    expect(await db().asset.count({ where: { mediaType: "image", analysedAt: null } })).toBe(0);
  });
});
