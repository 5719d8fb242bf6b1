import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { createJob } from "@/lib/jobs/create";
import { createJobInput } from "@/lib/jobs/input";
import { storage } from "@/lib/storage";
import { appRequest, callRoute, signedInUser, type SignedIn } from "@/tests/support/accounts";
import { jobWorld } from "@/tests/support/job-world";
import { runSteps } from "@/tests/support/run-steps";

// User B guesses user A's ids: every page-facing route answers exactly as for an id that
// does not exist, and A's job, items and files are untouched afterwards.
const world = jobWorld();
let alice: SignedIn;
let bob: SignedIn;
let jobId: string;
let assetId: string;

const gallery = (start: number, images: number) =>
  createJobInput.parse({
    sources: ["web-page"],
    maxItems: 20,
    targetUrls: [`${world.site.url}/gallery.html?images=${images}&videos=0&start=${start}`],
  });

async function aliceState() {
  const job = await db().job.findUniqueOrThrow({ where: { id: jobId }, include: { items: { orderBy: { id: "asc" } }, events: true } });
  const assets = await db().asset.findMany({ where: { userId: alice.id }, orderBy: { id: "asc" } });
  return { job: { ...job, updatedAt: undefined }, assets, files: await Promise.all(assets.map((a) => storage().exists(a.storageKey))) };
}

beforeAll(async () => {
  alice = await signedInUser("alice");
  bob = await signedInUser("bob");
  jobId = (await createJob(db(), world.intake.send, alice.id, gallery(900, 2))).jobId;
  await runSteps(jobId);
  assetId = (await db().asset.findFirstOrThrow({ where: { jobId } })).id;
});

describe("one user cannot see or touch another's rows", () => {
  it("the owner sees the job and the file (with Range)", async () => {
    expect(
      (await callRoute("/api/jobs/[id]", "GET", appRequest("GET", `/api/jobs/${jobId}`, { cookie: alice.cookie }), { id: jobId })).status,
    ).toBe(200);
    const ranged = await callRoute(
      "/api/assets/[id]/file",
      "GET",
      appRequest("GET", `/api/assets/${assetId}/file`, { cookie: alice.cookie, headers: { range: "bytes=0-9" } }),
      { id: assetId },
    );
    expect(ranged.status).toBe(206);
    expect(ranged.headers.get("content-security-policy")).toMatch(/^sandbox/);
  });

  it("another user gets 404 for the job, its actions, the asset, its file (with and without Range) and thumbnail", async () => {
    const before = await aliceState();
    const asBob = (method: string, path: string, headers: Record<string, string> = {}) =>
      appRequest(method, path, { cookie: bob.cookie, headers });
    const attempts: Array<[string, string, Request, Record<string, string>]> = [
      ["/api/jobs/[id]", "GET", asBob("GET", `/api/jobs/${jobId}`), { id: jobId }],
      ["/api/jobs/[id]/retry", "POST", asBob("POST", `/api/jobs/${jobId}/retry`), { id: jobId }],
      ["/api/jobs/[id]/rerun", "POST", asBob("POST", `/api/jobs/${jobId}/rerun`), { id: jobId }],
      ["/api/jobs/[id]/cancel", "POST", asBob("POST", `/api/jobs/${jobId}/cancel`), { id: jobId }],
      ["/api/jobs/[id]", "DELETE", asBob("DELETE", `/api/jobs/${jobId}?assets=1`), { id: jobId }],
      ["/api/assets/[id]", "GET", asBob("GET", `/api/assets/${assetId}`), { id: assetId }],
      ["/api/assets/[id]", "DELETE", asBob("DELETE", `/api/assets/${assetId}`), { id: assetId }],
      ["/api/assets/[id]/file", "GET", asBob("GET", `/api/assets/${assetId}/file`), { id: assetId }],
      ["/api/assets/[id]/file", "GET", asBob("GET", `/api/assets/${assetId}/file`, { range: "bytes=0-9" }), { id: assetId }],
      ["/api/assets/[id]/file", "HEAD", asBob("HEAD", `/api/assets/${assetId}/file`), { id: assetId }],
      ["/api/assets/[id]/thumb", "GET", asBob("GET", `/api/assets/${assetId}/thumb`), { id: assetId }],
    ];
    for (const [route, method, request, params] of attempts) {
      const response = await callRoute(route, method, request, params);
      expect(response.status, `${method} ${route}`).toBe(404);
    }
    for (const action of ["cancel", "delete", "delete-with-assets"]) {
      const response = await callRoute(
        "/api/jobs/bulk",
        "POST",
        appRequest("POST", "/api/jobs/bulk", { cookie: bob.cookie, body: { action, ids: [jobId] } }),
      );
      expect(await response.json()).toEqual({ results: [{ jobId, ok: false, message: "Job not found" }] });
    }
    expect(await aliceState()).toEqual(before);
  });

  it("lists, history and statistics show only the user's own rows", async () => {
    const get = async (route: string, path: string, who: SignedIn) =>
      (await callRoute(route, "GET", appRequest("GET", path, { cookie: who.cookie }))).json();
    expect((await get("/api/jobs", "/api/jobs", bob)).jobs).toEqual([]);
    expect((await get("/api/jobs", "/api/jobs", alice)).jobs.map((j: { id: string }) => j.id)).toEqual([jobId]);
    expect((await get("/api/assets", "/api/assets", bob)).total).toBe(0);
    expect((await get("/api/assets", "/api/assets", alice)).total).toBe(2);
    expect((await get("/api/history", "/api/history", bob)).jobs).toEqual([]);
    expect((await get("/api/stats", "/api/stats", bob)).totals.all).toEqual({ jobs: 0, files: 0, bytes: 0 });
    expect((await get("/api/stats", "/api/stats", alice)).totals.all.files).toBe(2);
  });

  it("two users downloading the same bytes each get an asset; the bytes go only with the last one", async () => {
    const bobsJob = (await createJob(db(), world.intake.send, bob.id, gallery(900, 1))).jobId;
    await runSteps(bobsJob);
    const bobs = await db().asset.findFirstOrThrow({ where: { userId: bob.id } });
    const alices = await db().asset.findFirstOrThrow({ where: { userId: alice.id, sha256: bobs.sha256 } });
    expect(bobs.id).not.toBe(alices.id);
    expect(bobs.storageKey).toBe(alices.storageKey);

    const deleteAs = (who: SignedIn, id: string) =>
      callRoute("/api/assets/[id]", "DELETE", appRequest("DELETE", `/api/assets/${id}`, { cookie: who.cookie }), { id });
    expect((await deleteAs(bob, bobs.id)).status).toBe(200);
    expect(await storage().exists(bobs.storageKey)).toBe(true);
    expect(
      (
        await callRoute("/api/assets/[id]/file", "GET", appRequest("GET", `/api/assets/${alices.id}/file`, { cookie: alice.cookie }), {
          id: alices.id,
        })
      ).status,
    ).toBe(200);
    expect((await deleteAs(alice, alices.id)).status).toBe(200);
    expect(await storage().exists(bobs.storageKey)).toBe(false);
  });
});
