import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { ListObjectsV2Command } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { config } from "@/lib/config";
import { db } from "@/lib/db";
import { runHealthChecks } from "@/lib/health";
import { createJob } from "@/lib/jobs/create";
import { createJobInput } from "@/lib/jobs/input";
import { storage } from "@/lib/storage";
import { s3Client } from "@/lib/storage/s3";
import { appRequest, callRoute, signedInUser, type SignedIn } from "@/tests/support/accounts";
import { jobWorld } from "@/tests/support/job-world";
import { runSteps } from "@/tests/support/run-steps";
import { startS3Server, TEST_BUCKET } from "@/tests/support/s3-server";

// The whole path of a job with TRAWL_STORAGE_URL set: downloads go up to a real S3-compatible
// server, the analysis reads them back by ranges, and the pages' file, Range and thumbnail
// answers come from the bucket. The data directory keeps only temporary files.

const s3 = await startS3Server("jobs");
Object.assign(process.env, s3.env);
const world = jobWorld();
let owner: SignedIn;
let jobId: string;

async function bucketKeys() {
  const cfg = config().storage;
  if (cfg.kind !== "s3") throw new Error("the test expects S3 storage");
  const listed = await s3Client(cfg).send(new ListObjectsV2Command({ Bucket: TEST_BUCKET, Prefix: "jobs/" }));
  return (listed.Contents ?? []).map((object) => object.Key!).sort();
}

const asOwner = (method: string, route: string, id: string, headers: Record<string, string> = {}) =>
  callRoute(route, method, appRequest(method, route.replace("[id]", id), { cookie: owner.cookie, headers }), { id });

beforeAll(async () => {
  expect(config().storage.kind).toBe("s3");
  owner = await signedInUser("sam");
  const input = createJobInput.parse({
    sources: ["web-page"],
    maxItems: 20,
    mediaTypes: "both",
    targetUrls: [`${world.site.url}/gallery.html?images=3&videos=1&start=1200`],
  });
  jobId = (await createJob(db(), world.intake.send, owner.id, input)).jobId;
  await runSteps(jobId);
});
afterAll(() => s3.close());

describe("a job with S3-compatible storage", () => {
  it("stores every file in the bucket under the prefix, nothing in the data directory", async () => {
    const job = await db().job.findUniqueOrThrow({ where: { id: jobId } });
    expect(job.status).toBe("completed");
    const assets = await db().asset.findMany({ where: { jobId } });
    expect(assets).toHaveLength(4);
    expect(await bucketKeys()).toEqual(expect.arrayContaining(assets.map((a) => `jobs/${a.storageKey}`)));
    expect(fs.existsSync(path.join(config().dataDir, "files"))).toBe(false);
  });

  it("analyses the files from the bucket: the video's size and length by ranged reads, the images' hashes", async () => {
    const assets = await db().asset.findMany({ where: { jobId } });
    expect(assets.every((a) => a.analysedAt !== null && a.analysisError === null)).toBe(true);
    expect(assets.find((a) => a.mediaType === "video")).toMatchObject({ width: 96, height: 64, durationMs: 1000 });
    expect(assets.filter((a) => a.mediaType === "image").every((a) => /^[0-9a-f]{16}$/.test(a.perceptualHash ?? ""))).toBe(true);
  });

  it("serves a file whole and by Range from the bucket, with its headers", async () => {
    const video = await db().asset.findFirstOrThrow({ where: { jobId, mediaType: "video" } });
    const whole = await asOwner("GET", "/api/assets/[id]/file", video.id);
    expect(whole.status).toBe(200);
    const bytes = Buffer.from(await whole.arrayBuffer());
    expect(createHash("sha256").update(bytes).digest("hex")).toBe(video.sha256);
    expect(whole.headers.get("accept-ranges")).toBe("bytes");

    const ranged = await asOwner("GET", "/api/assets/[id]/file", video.id, { range: "bytes=100-199" });
    expect(ranged.status).toBe(206);
    expect(ranged.headers.get("content-range")).toBe(`bytes 100-199/${bytes.length}`);
    expect(Buffer.from(await ranged.arrayBuffer()).equals(bytes.subarray(100, 200))).toBe(true);
    expect((await asOwner("GET", "/api/assets/[id]/file", video.id, { range: `bytes=${bytes.length + 5}-` })).status).toBe(416);
  });

  it("makes a thumbnail from the bucket's original and keeps it in the bucket", async () => {
    const image = await db().asset.findFirstOrThrow({ where: { jobId, mediaType: "image" } });
    const thumb = await asOwner("GET", "/api/assets/[id]/thumb", image.id);
    expect(thumb.status).toBe(200);
    expect(thumb.headers.get("content-type")).toBe("image/webp");
    expect(
      Buffer.from(await thumb.arrayBuffer())
        .subarray(8, 12)
        .toString(),
    ).toBe("WEBP");
    const { thumbKey } = await db().asset.findUniqueOrThrow({ where: { id: image.id } });
    expect(await bucketKeys()).toContain(`jobs/${thumbKey}`);
  });

  it("deletes a file's object and thumbnail from the bucket with its asset", async () => {
    const image = await db().asset.findFirstOrThrow({ where: { jobId, mediaType: "image", thumbKey: { not: null } } });
    expect((await asOwner("DELETE", "/api/assets/[id]", image.id)).status).toBe(200);
    const keys = await bucketKeys();
    expect(keys).not.toContain(`jobs/${image.storageKey}`);
    expect(keys).not.toContain(`jobs/${image.thumbKey}`);
    expect(await storage().exists(image.storageKey)).toBe(false);
  });

  it("answers 404 for an asset whose object is gone from the bucket", async () => {
    const image = await db().asset.findFirstOrThrow({ where: { jobId, mediaType: "image" } });
    await storage().remove(image.storageKey);
    const answer = await asOwner("GET", "/api/assets/[id]/file", image.id);
    expect(answer.status).toBe(404);
    expect(await answer.json()).toEqual({ error: { message: "The file is missing from storage" } });
  });

  it("is checked by the health report: the bucket written to and read back, or why not", async () => {
    const context = { engine: { mode: "offline" as const, probe: async () => ({ ok: true, detail: "" }) }, startupProblems: [] };
    const healthy = await runHealthChecks(db(), config(), context);
    expect(healthy.checks.find((c) => c.name === "object storage")).toEqual({
      name: "object storage",
      ok: true,
      detail: `s3://${TEST_BUCKET}/jobs at ${s3.endpoint} (writable)`,
    });
    expect(await bucketKeys()).not.toContainEqual(expect.stringContaining("health/"));
    await s3.close();
    const down = await runHealthChecks(db(), config(), context);
    expect(down.ok).toBe(false);
    expect(down.checks.find((c) => c.name === "object storage")).toMatchObject({
      ok: false,
      detail: expect.stringMatching(/^s3:\/\/trawl-test\/jobs at .*: /),
      fix: expect.stringContaining("TRAWL_STORAGE_URL"),
    });
  });
});
