import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiKey, listApiKeys, revokeApiKey } from "@/lib/auth/api-keys";
import { setUserDisabled } from "@/lib/auth/accounts";
import { db } from "@/lib/db";
import { appRequest, callRoute, signedInUser, type SignedIn } from "@/tests/support/accounts";

let carol: SignedIn;
let admin: SignedIn;
beforeAll(async () => {
  admin = await signedInUser("root", "admin");
  carol = await signedInUser("carol");
});
afterAll(() => db().$disconnect());

const listJobs = (headers: Record<string, string>) => callRoute("/api/jobs", "GET", appRequest("GET", "/api/jobs", { headers }));
const bearer = (key: string) => ({ authorization: `Bearer ${key}` });

describe("API keys", () => {
  it("a key is shown once, stored hashed, works as Bearer on JSON routes and records when it was used", async () => {
    const created = await createApiKey(carol.id, "backup script");
    expect(created.key).toMatch(/^trawl_[A-Za-z]{64}$/);
    const row = await db().apikey.findUniqueOrThrow({ where: { id: created.id } });
    expect(row.key).not.toContain(created.key.slice(6, 20));
    expect(row.referenceId).toBe(carol.id);
    expect(row.lastRequest).toBeNull();

    const response = await listJobs(bearer(created.key));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ active: 0, jobs: [] });
    const [listed] = await listApiKeys(db(), carol.id);
    expect(listed).toMatchObject({ id: created.id, name: "backup script", start: created.key.slice(0, 6) });
    expect(listed.lastRequest).toBeInstanceOf(Date);
  });

  it("a key acts as its owner: a write with a key needs no Origin, and creates the owner's job", async () => {
    const { key } = await createApiKey(carol.id, "writer");
    const request = new Request("http://127.0.0.1:3000/api/jobs", {
      method: "POST",
      headers: { host: "127.0.0.1:3000", "content-type": "application/json", ...bearer(key) },
      body: JSON.stringify({ sources: ["direct-links"], maxItems: 1, targetUrls: ["https://example.org/a.png"] }),
    });
    const response = await callRoute("/api/jobs", "POST", request);
    expect([201, 502]).toContain(response.status); // 502: no engine in this test; the job exists either way
    const { jobId } = (await response.json()) as { jobId: string };
    expect((await db().job.findUniqueOrThrow({ where: { id: jobId } })).userId).toBe(carol.id);
  });

  it("a revoked, forged or someone else's revoked key gets 401", async () => {
    const { id, key } = await createApiKey(carol.id, "short-lived");
    expect((await listJobs(bearer(key))).status).toBe(200);
    expect(await revokeApiKey(db(), admin.id, id)).toBe(false); // not the admin's key to revoke
    expect((await listJobs(bearer(key))).status).toBe(200);
    expect(await revokeApiKey(db(), carol.id, id)).toBe(true);
    const revoked = await listJobs(bearer(key));
    expect(revoked.status).toBe(401);
    expect((await revoked.json()).error.message).toMatch(/^Invalid API key/);
    expect((await listJobs(bearer(`trawl_${"Z".repeat(64)}`))).status).toBe(401);
    expect((await listJobs(bearer("short"))).status).toBe(401);
  });

  it("a disabled user's keys and sessions stop working", async () => {
    const dave = await signedInUser("dave");
    const { key } = await createApiKey(dave.id, "k");
    expect((await listJobs({ cookie: dave.cookie })).status).toBe(200);
    await setUserDisabled(db(), admin.id, dave.id, true);
    expect((await listJobs({ cookie: dave.cookie })).status).toBe(401);
    expect((await listJobs(bearer(key))).status).toBe(401);
    await setUserDisabled(db(), admin.id, dave.id, false);
    expect((await listJobs(bearer(key))).status).toBe(200);
  });
});
