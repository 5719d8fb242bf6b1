import { describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { storage } from "@/lib/storage";
import { jobWorld } from "@/tests/support/job-world";
import { ownerId } from "@/tests/support/users";
import { createJob } from "./create";
import { createJobInput } from "./input";
import { runInPlace, runJobInPlace, type StepRunner } from "./orchestration";

const world = jobWorld();

describe("the job orchestration (what the Inngest function runs)", () => {
  it("runs every source; one whose step keeps failing is marked failed with the reason and the others finish", async () => {
    const input = createJobInput.parse({
      sources: ["web-page", "direct-links"],
      maxItems: 10,
      targetUrls: [`${world.site.url}/gallery.html?images=2&videos=0&start=300`],
    });
    const { jobId } = await createJob(db(), world.intake.send, await ownerId(), input);
    const steps: string[] = [];
    // The engine gave up on this step after its retries: the error reaches the orchestration.
    const step: StepRunner = (name, body) => {
      steps.push(name);
      if (name === "search direct-links page 0") return Promise.reject(new Error("the API kept answering 500"));
      return runInPlace(name, body);
    };
    const outcome = await runJobInPlace(step, db(), storage(), jobId, "run-1");
    expect(outcome).toEqual({ status: "completed_with_errors" });
    expect(steps).toEqual(
      expect.arrayContaining([
        "start",
        "search web-page page 0",
        "download web-page batch 0",
        "finish web-page",
        "fail direct-links",
        "finish the job if this was its last source",
        "analyse files 0",
      ]),
    );
    const sources = await db().jobSource.findMany({ where: { jobId }, orderBy: { sourceId: "asc" } });
    expect(sources.map((s) => [s.sourceId, s.status])).toEqual([
      ["direct-links", "failed"],
      ["web-page", "completed"],
    ]);
    expect(sources[0].error).toContain("the API kept answering 500");
    expect(await db().asset.count({ where: { jobId } })).toBe(2);
  });
});
