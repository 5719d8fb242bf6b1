import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { jobWorld } from "@/tests/support/job-world";
import { db } from "@/lib/db";
import { config } from "@/lib/config";
import { createJob } from "./create";
import { createJobInput } from "./input";
import { runSteps } from "@/tests/support/run-steps";
import { downloadBatch, finishJob, searchSourcePage, startJob } from "./run";
import { ownerId } from "@/tests/support/users";

const world = jobWorld();

async function snapshot(jobId: string) {
  const job = await db().job.findUniqueOrThrow({ where: { id: jobId }, include: { sources: true } });
  const items = await db().item.findMany({
    where: { jobId },
    orderBy: { mediaUrl: "asc" },
    select: { mediaUrl: true, status: true, assetId: true, reason: true },
  });
  const assets = await db().asset.findMany({ orderBy: { sha256: "asc" }, select: { sha256: true, storageKey: true } });
  const files = fs.readdirSync(config().filesDir, { recursive: true }).filter((f) => String(f).includes("."));
  const counts = { detected: job.detected, downloaded: job.downloaded, skipped: job.skipped, failed: job.failed, bytes: job.bytes };
  return {
    counts,
    source: job.sources.map((s) => [s.sourceId, s.detected, s.downloaded, s.skipped, s.failed]),
    items,
    assets,
    files: files.sort(),
  };
}

describe("a job's steps", () => {
  it("download a page's media, record each outcome with its reason, and are idempotent", async () => {
    const input = createJobInput.parse({
      sources: ["web-page"],
      maxItems: 50,
      mediaTypes: "both",
      targetUrls: [`${world.site.url}/mixed.html`],
    });
    const { jobId } = await createJob(db(), world.intake.send, await ownerId(), input);

    // The first search page, twice: the second adds nothing.
    await searchSourcePage(db(), jobId, "web-page", null, 0);
    const afterOneSearch = await db().item.count({ where: { jobId } });
    await searchSourcePage(db(), jobId, "web-page", null, 0);
    expect(await db().item.count({ where: { jobId } })).toBe(afterOneSearch);
    expect(afterOneSearch).toBe(6);

    expect(await runSteps(jobId)).toEqual({ status: "completed_with_errors" });
    const first = await snapshot(jobId);
    expect(first.counts).toEqual({ detected: 6, downloaded: 2, skipped: 1, failed: 3, bytes: expect.any(BigInt) });
    expect(first.assets).toHaveLength(2);
    expect(first.files).toHaveLength(2);
    const byUrl = Object.fromEntries(first.items.map((i) => [new URL(i.mediaUrl).pathname + new URL(i.mediaUrl).search, i]));
    // The same bytes under two URLs, fetched concurrently: whichever lands first is stored, the other points at it.
    const copies = [byUrl["/media/image-101.png"], byUrl["/media/image-101.png?copy=1"]];
    expect(copies.map((c) => c.status).sort()).toEqual(["downloaded", "skipped"]);
    expect(copies[0].assetId).toBe(copies[1].assetId);
    expect(byUrl["/media/not-an-image.jpg"]).toMatchObject({ status: "failed", reason: expect.stringMatching(/HTML/i) });
    expect(byUrl["/media/missing.png"]).toMatchObject({ status: "failed", reason: expect.stringMatching(/404/) });
    expect(byUrl["/redirect-to-private.png"]).toMatchObject({ status: "failed", reason: expect.stringMatching(/10\.20\.30\.40/) });
    expect(world.site.requests.some((r) => r.includes("secret"))).toBe(false);

    // The engine lost the run and dispatches it again: nothing is duplicated.
    await db().job.update({ where: { id: jobId }, data: { status: "running", finishedAt: null } });
    await db().jobSource.updateMany({ where: { jobId }, data: { status: "downloading" } });
    expect(await runSteps(jobId)).toEqual({ status: "completed_with_errors" });
    expect(await snapshot(jobId)).toEqual(first);
  });

  it("stop at the item boundary once the job is cancelled", async () => {
    const input = createJobInput.parse({
      sources: ["web-page"],
      maxItems: 50,
      targetUrls: [`${world.site.url}/gallery.html?images=6&videos=0&start=200`],
    });
    const { jobId } = await createJob(db(), world.intake.send, await ownerId(), input);
    await startJob(db(), jobId, "test-run");
    await searchSourcePage(db(), jobId, "web-page", null, 0);
    await db().job.update({ where: { id: jobId }, data: { status: "cancelled" } });
    expect(await downloadBatch(db(), jobId, "web-page")).toEqual({ done: true, processed: 0 });
    expect(await db().asset.count({ where: { jobId } })).toBe(0);
    expect(await finishJob(db(), jobId)).toEqual({ status: "cancelled", changed: false });
  });

  it("store a page of over a thousand items (more than one statement may bind)", async () => {
    const input = createJobInput.parse({
      sources: ["web-page"],
      maxItems: 2000,
      mediaTypes: "images",
      targetUrls: [`${world.site.url}/gallery.html?images=1100&videos=0&start=1000`],
    });
    const { jobId } = await createJob(db(), world.intake.send, await ownerId(), input);
    await startJob(db(), jobId, "test-run");
    expect(await searchSourcePage(db(), jobId, "web-page", null, 0)).toEqual({ done: true, nextCursor: null });
    expect(await db().item.count({ where: { jobId } })).toBe(1100);
    await searchSourcePage(db(), jobId, "web-page", null, 0);
    expect(await db().item.count({ where: { jobId } })).toBe(1100);
  });

  it("keep the files on disk under their hash", async () => {
    const asset = await db().asset.findFirstOrThrow();
    const file = path.join(config().dataDir, asset.storageKey);
    expect(fs.existsSync(file)).toBe(true);
    expect(asset.storageKey).toBe(`files/${asset.sha256.slice(0, 2)}/${asset.sha256}.${asset.ext}`);
  });
});
