import { beforeEach, describe, expect, it } from "vitest";
import { jobWorld } from "@/tests/support/job-world";
import { db } from "@/lib/db";
import { unreachableSend } from "@/tests/support/event-intake";
import { createJob } from "./create";
import { createJobInput } from "./input";
import { ownerId } from "@/tests/support/users";
import { allowInserts, refuseInserts } from "@/tests/support/refused-writes";

const world = jobWorld({ site: false });
beforeEach(async () => {
  await allowInserts("JobEvent");
  await db().job.deleteMany();
  world.intake.events.length = 0;
});

const input = createJobInput.parse({
  query: "aurora borealis",
  sources: ["wikimedia-commons", "openverse"],
  mediaTypes: "images",
  maxItems: 20,
  safeSearch: true,
});

describe("createJob", () => {
  it("writes the job, one row per source and a queued event, then sends the engine event", async () => {
    const result = await createJob(db(), world.intake.send, await ownerId(), input);
    expect(result.dispatched).toBe(true);
    const job = await db().job.findUniqueOrThrow({ where: { id: result.jobId }, include: { sources: true, events: true } });
    expect(job.status).toBe("queued");
    expect(job.query).toBe("aurora borealis");
    expect(job.sources.map((s) => s.sourceId).sort()).toEqual(["openverse", "wikimedia-commons"]);
    expect(job.events.map((e) => e.message)).toEqual([expect.stringContaining("Queued"), "Sent to the engine"]);
    expect(job.dispatchCount).toBe(1);
    expect(world.intake.events).toEqual(
      [{ name: "trawl/job.requested", data: { jobId: result.jobId }, id: expect.any(String), ts: expect.any(Number) }].map(
        ({ name, data }) => expect.objectContaining({ name, data }),
      ),
    );
  });

  it("leaves nothing behind and sends nothing when the database write fails", async () => {
    // A real failure inside the transaction: the event insert is refused after the job row was written.
    await refuseInserts("JobEvent", "disk I/O error (simulated)");
    await expect(createJob(db(), world.intake.send, await ownerId(), input)).rejects.toThrow(/jobEvent.create/);
    expect(await db().job.count()).toBe(0);
    expect(await db().jobSource.count()).toBe(0);
    expect(world.intake.events).toHaveLength(0);
  });

  it("marks the job failed with the reason when the engine does not take the event", async () => {
    const result = await createJob(db(), await unreachableSend(), await ownerId(), input);
    expect(result.dispatched).toBe(false);
    const job = await db().job.findUniqueOrThrow({ where: { id: result.jobId }, include: { events: { orderBy: { id: "asc" } } } });
    expect(job.status).toBe("failed");
    expect(job.error).toMatch(/^The engine did not accept the job: /);
    expect(job.finishedAt).not.toBeNull();
    expect(job.events.at(-1)).toMatchObject({ level: "error", message: job.error });
  });
});

describe("createJobInput", () => {
  it("reports every bad field and accepts form-style values", () => {
    const bad = createJobInput.safeParse({ query: "", sources: [], maxItems: "0", mediaTypes: "gifs" });
    expect(bad.success).toBe(false);
    const fields = new Set(bad.error?.issues.map((i) => String(i.path[0])));
    expect(fields).toEqual(new Set(["sources", "maxItems", "mediaTypes"]));

    const needsUrls = createJobInput.safeParse({ sources: "web-page", maxItems: "5" });
    expect(needsUrls.error?.issues.map((i) => i.path[0])).toEqual(["targetUrls"]);

    const form = createJobInput.parse({
      query: "",
      sources: "web-page",
      maxItems: "5",
      safeSearch: "on",
      targetUrls: "https://a.example/x\nhttps://b.example/y",
    });
    expect(form).toMatchObject({
      sources: ["web-page"],
      maxItems: 5,
      safeSearch: true,
      targetUrls: ["https://a.example/x", "https://b.example/y"],
    });
  });

  it("refuses unknown sources and non-http URLs", () => {
    const result = createJobInput.safeParse({ query: "x", sources: ["nope", "web-page"], maxItems: 5, targetUrls: ["file:///etc/passwd"] });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.path.join("."))).toEqual(expect.arrayContaining(["sources.0", "targetUrls.0"]));
  });
});
