import { describe, expect, it } from "vitest";
import { jobWorld } from "@/tests/support/job-world";
import { db } from "@/lib/db";
import { storage } from "@/lib/storage";
import { createJob } from "@/lib/jobs/create";
import { createJobInput } from "@/lib/jobs/input";
import { downloadBatch, finishJob, searchSourcePage, startJob } from "@/lib/jobs/run";
import { analysePendingAssets } from "./analysis";
import { ownerId } from "@/tests/support/users";

const world = jobWorld();

/** A job over the fixture gallery, downloaded and finished but not yet analysed. */
async function downloadedJob(images: number, start: number) {
  const input = createJobInput.parse({
    sources: ["web-page"],
    maxItems: 50,
    mediaTypes: "both",
    targetUrls: [`${world.site.url}/gallery.html?images=${images}&videos=1&start=${start}`],
  });
  const { jobId } = await createJob(db(), world.intake.send, await ownerId(), input);
  await startJob(db(), jobId, "test-run");
  await searchSourcePage(db(), jobId, "web-page", null, 0);
  while (!(await downloadBatch(db(), jobId, "web-page")).done);
  await finishJob(db(), jobId);
  return jobId;
}

describe("analysePendingAssets", () => {
  it("hashes a job's images and reads its videos' size and length after its downloads, and records an undecodable image's reason", async () => {
    const jobId = await downloadedJob(3, 500);
    const job = await db().job.findUniqueOrThrow({ where: { id: jobId } });
    expect(job.status).toBe("completed");
    const downloaded = await db().asset.findMany({ where: { jobId }, orderBy: { originalName: "asc" } });
    expect(downloaded.map((a) => a.mediaType).sort()).toEqual(["image", "image", "image", "video"]);
    // The download path stores no perceptual hash: that is the analysis' job.
    expect(downloaded.filter((a) => a.mediaType === "image").every((a) => a.perceptualHash === null && a.analysedAt === null)).toBe(true);
    expect(downloaded.find((a) => a.mediaType === "video")).toMatchObject({
      analysedAt: null,
      width: null,
      height: null,
      durationMs: null,
    });

    const broken = downloaded.find((a) => a.mediaType === "image")!;
    await storage().write(broken.storageKey, Buffer.from("no longer a PNG"));

    expect(await analysePendingAssets(db(), storage(), { jobId })).toEqual({ done: true, analysed: 4, failed: 1 });
    // The fixture clips are 96×64 and one second long (ffprobe).
    const video = await db().asset.findFirstOrThrow({ where: { jobId, mediaType: "video" } });
    expect(video).toMatchObject({ width: 96, height: 64, durationMs: 1000, analysisError: null });
    expect(video.analysedAt).not.toBeNull();
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
    expect(await analysePendingAssets(db(), storage(), { jobId })).toEqual({ done: true, analysed: 0, failed: 0 });
  });

  it("keeps to its scope: one job's analysis leaves another job's images to it, maintenance takes only older ones", async () => {
    const first = await downloadedJob(2, 600);
    const second = await downloadedJob(2, 700);
    await analysePendingAssets(db(), storage(), { jobId: first });
    // The fixture clip is the same file in both jobs: one asset, the first job's.
    expect(await db().asset.count({ where: { jobId: second, analysedAt: null } })).toBe(2);

    const longAgo = new Date(Date.now() - 3_600_000);
    expect(await analysePendingAssets(db(), storage(), { createdBefore: longAgo })).toMatchObject({ analysed: 0 });
    expect(await analysePendingAssets(db(), storage(), { createdBefore: new Date(Date.now() + 1000) })).toMatchObject({ analysed: 2 });
    expect(await db().asset.count({ where: { analysedAt: null } })).toBe(0);
  });

  it("records why a video's size and length could not be read", async () => {
    await downloadedJob(0, 800);
    const video = await db().asset.findFirstOrThrow({ where: { mediaType: "video" } });
    const jobId = video.jobId!;
    await db().asset.update({ where: { id: video.id }, data: { analysedAt: null, width: null, height: null, durationMs: null } });
    await storage().write(video.storageKey, Buffer.from("not a video any more"));
    expect(await analysePendingAssets(db(), storage(), { jobId })).toEqual({ done: true, analysed: 1, failed: 1 });
    const after = await db().asset.findUniqueOrThrow({ where: { id: video.id } });
    expect(after).toMatchObject({
      width: null,
      height: null,
      durationMs: null,
      analysisError: "no video size or length: no video track found",
    });
    const warning = await db().jobEvent.findFirst({ where: { jobId, level: "warn", message: { contains: "no video size or length" } } });
    expect(warning?.message).toContain(video.originalName);
  });
});
