import { beforeEach, describe, expect, it } from "vitest";
import { jobWorld } from "@/tests/support/job-world";
import { db } from "@/lib/db";
import type { StoredFile } from "@/lib/download/fetch-to-store";
import { createJob } from "./create";
import { createJobInput } from "./input";
import { OutcomeWriter } from "./outcome-writer";
import { ownerId } from "@/tests/support/users";
import { allowInserts, refuseInserts } from "@/tests/support/refused-writes";

const world = jobWorld({ site: false });
beforeEach(async () => {
  await allowInserts("Asset");
  await db().job.deleteMany();
  await db().asset.deleteMany();
});

async function jobWithItems(count: number) {
  const input = createJobInput.parse({
    sources: ["direct-links"],
    targetUrls: ["http://media.example/a.png"],
    mediaTypes: "images",
    maxItems: 10,
  });
  const { jobId } = await createJob(db(), world.intake.send, await ownerId(), input);
  await db().job.update({ where: { id: jobId }, data: { status: "running" } });
  await db().item.createMany({
    data: Array.from({ length: count }, (_, i) => ({
      jobId,
      sourceId: "direct-links",
      remoteId: `r${i}`,
      mediaType: "image",
      mediaUrl: `http://media.example/${i}.png`,
    })),
  });
  const job = await db().job.findUniqueOrThrow({ where: { id: jobId } });
  const items = await db().item.findMany({ where: { jobId }, orderBy: { remoteId: "asc" } });
  return { job, items };
}

function storedFile(sha: string): StoredFile {
  const sha256 = sha.repeat(64).slice(0, 64);
  return {
    sha256,
    bytes: 2048,
    mime: "image/png",
    ext: "png",
    mediaType: "image",
    storageKey: `files/${sha256.slice(0, 2)}/${sha256}.png`,
    thumbKey: null,
    width: 10,
    height: 5,
    perceptualHash: null,
    originalName: `${sha}.png`,
    warnings: [],
  };
}

describe("OutcomeWriter", () => {
  it("records a batch's outcomes together: one asset per distinct file, skips for copies, failures with reasons", async () => {
    const { job, items } = await jobWithItems(4);
    const before = await db().jobEvent.aggregate({ where: { jobId: job.id }, _max: { id: true } });
    const writer = new OutcomeWriter(db(), job, { flushAfterMs: 10_000 });
    writer.startingItem("0.png");
    writer.add({ kind: "stored", item: items[0], name: "0.png", file: storedFile("a"), attempts: 1, events: [] });
    writer.add({ kind: "stored", item: items[1], name: "1.png", file: storedFile("a"), attempts: 1, events: [] });
    writer.add({
      kind: "stored",
      item: items[2],
      name: "2.png",
      file: storedFile("b"),
      attempts: 2,
      events: [{ level: "warn", message: "2.png: odd" }],
    });
    writer.add({ kind: "failed", item: items[3], name: "3.png", reason: "HTTP 404 from media.example", attempts: 3, events: [] });

    // Nothing is visible before the write.
    expect(await db().asset.count()).toBe(0);
    await writer.close();

    const after = await db().item.findMany({ where: { jobId: job.id }, orderBy: { remoteId: "asc" } });
    expect(after.map((i) => [i.status, i.attempts, i.reason])).toEqual([
      ["downloaded", 1, null],
      ["skipped", 1, "Already in Assets (identical file)"],
      ["downloaded", 2, null],
      ["failed", 3, "HTTP 404 from media.example"],
    ]);
    const assets = await db().asset.findMany({ orderBy: { sha256: "asc" } });
    expect(assets.map((a) => [a.originalName, a.width, a.analysedAt])).toEqual([
      ["a.png", 10, null],
      ["b.png", 10, null],
    ]);
    expect(after[0].assetId).toBe(assets[0].id);
    expect(after[1].assetId).toBe(assets[0].id);
    const events = await db().jobEvent.findMany({ where: { jobId: job.id, id: { gt: before._max.id ?? 0 } }, orderBy: { id: "asc" } });
    expect(events.map((e) => [e.level, e.message])).toEqual([
      ["info", "Downloaded 0.png (2 KB)"],
      ["info", "Skipped 1.png: already in Assets"],
      ["warn", "2.png: odd"],
      ["info", "Downloaded 2.png (2 KB)"],
      ["warn", "Failed 3.png: HTTP 404 from media.example"],
    ]);
    expect((await db().job.findUniqueOrThrow({ where: { id: job.id } })).currentItem).toBe("0.png");
  });

  it("points a file at the asset the user already has", async () => {
    const first = await jobWithItems(1);
    const early = new OutcomeWriter(db(), first.job);
    early.add({ kind: "stored", item: first.items[0], name: "0.png", file: storedFile("c"), attempts: 1, events: [] });
    await early.close();
    const second = await jobWithItems(1);
    const late = new OutcomeWriter(db(), second.job);
    late.add({ kind: "stored", item: second.items[0], name: "0.png", file: storedFile("c"), attempts: 1, events: [] });
    await late.close();
    expect(await db().asset.count()).toBe(1);
    expect(await db().item.findFirstOrThrow({ where: { jobId: second.job.id } })).toMatchObject({ status: "skipped" });
  });

  it("fails the batch with the database's reason and reports nothing when a write fails", async () => {
    const { job, items } = await jobWithItems(2);
    await refuseInserts("Asset", "disk full (simulated)");
    const writer = new OutcomeWriter(db(), job, { flushAfterMs: 1 });
    writer.add({ kind: "stored", item: items[0], name: "0.png", file: storedFile("d"), attempts: 1, events: [] });
    writer.add({ kind: "failed", item: items[1], name: "1.png", reason: "HTTP 500", attempts: 1, events: [] });
    await expect(writer.close()).rejects.toThrow(/disk full \(simulated\)/);
    expect(writer.failed).toBe(true);
    // The whole write was rolled back: no item changed, no event claims a download.
    const after = await db().item.findMany({ where: { jobId: job.id } });
    expect(after.map((i) => i.status)).toEqual(["pending", "pending"]);
    expect(await db().jobEvent.count({ where: { jobId: job.id, message: { startsWith: "Downloaded" } } })).toBe(0);
  });

  it("notices a cancelled job and leaves its cleared current file alone", async () => {
    const { job, items } = await jobWithItems(1);
    const writer = new OutcomeWriter(db(), job, { statusMaxAgeMs: 0 });
    expect(await writer.jobIsActive()).toBe(true);
    await db().job.update({ where: { id: job.id }, data: { status: "cancelled", currentItem: null } });
    expect(await writer.jobIsActive()).toBe(false);
    writer.startingItem("0.png");
    writer.add({ kind: "stored", item: items[0], name: "0.png", file: storedFile("e"), attempts: 1, events: [] });
    await writer.close();
    const after = await db().job.findUniqueOrThrow({ where: { id: job.id } });
    expect(after.currentItem).toBeNull();
    // What finished before the cancel still counts.
    expect(await db().item.findFirstOrThrow({ where: { jobId: job.id } })).toMatchObject({ status: "downloaded" });
  });
});
