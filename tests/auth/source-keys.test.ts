import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { db } from "@/lib/db";
import { sourceKeyFor } from "@/lib/sources/catalog-state";
import { getSource } from "@/lib/sources/registry";
import { appRequest, callRoute, signedInUser, type SignedIn } from "@/tests/support/accounts";

// Administrators set key-gated sources' keys on /sources; TRAWL_KEY_<SOURCE> still wins.
vi.stubEnv("TRAWL_KEY_PIXABAY", "from-the-environment");

let admin: SignedIn;
let user: SignedIn;
beforeAll(async () => {
  admin = await signedInUser("keeper", "admin");
  user = await signedInUser("visitor");
});
afterAll(() => db().$disconnect());

const patch = (who: SignedIn, id: string, body: unknown) =>
  callRoute("/api/sources/[id]", "PATCH", appRequest("PATCH", `/api/sources/${id}`, { cookie: who.cookie, body }), { id });
const catalog = async (who: SignedIn) =>
  (
    (await (await callRoute("/api/sources", "GET", appRequest("GET", "/api/sources", { cookie: who.cookie }))).json()) as {
      sources: Array<{ id: string; key: null | Record<string, unknown> }>;
    }
  ).sources;

describe("source API keys", () => {
  it("an administrator sets and clears a key; it is never sent back, only its last characters", async () => {
    expect((await patch(admin, "pexels", { apiKey: "secret-pexels-key-1234" })).status).toBe(200);
    expect(await sourceKeyFor(db(), getSource("pexels"))).toBe("secret-pexels-key-1234");
    const pexels = (await catalog(user)).find((s) => s.id === "pexels")!;
    expect(pexels.key).toMatchObject({ configured: true, origin: "settings", storedHint: "…1234" });
    expect(JSON.stringify(await catalog(admin))).not.toContain("secret-pexels");

    expect((await patch(admin, "pexels", { apiKey: null })).status).toBe(200);
    expect(await sourceKeyFor(db(), getSource("pexels"))).toBeUndefined();
    expect((await catalog(admin)).find((s) => s.id === "pexels")!.key).toMatchObject({ configured: false, origin: null });
  });

  it("the environment's key wins, and the page says which is in force", async () => {
    await patch(admin, "pixabay", { apiKey: "stored-one" });
    expect(await sourceKeyFor(db(), getSource("pixabay"))).toBe("from-the-environment");
    expect((await catalog(admin)).find((s) => s.id === "pixabay")!.key).toMatchObject({ origin: "environment", storedHint: "…-one" });
  });

  it("a user who is not an administrator cannot change the catalog; bad input changes nothing", async () => {
    const refused = await patch(user, "pexels", { apiKey: "mine" });
    expect(refused.status).toBe(403);
    expect((await patch(user, "pexels", { enabled: false })).status).toBe(403);
    expect((await patch(admin, "openverse", { apiKey: "x" })).status).toBe(400);
    expect((await patch(admin, "pexels", { apiKey: "" })).status).toBe(400);
    expect((await patch(admin, "pexels", {})).status).toBe(400);
    expect(await sourceKeyFor(db(), getSource("pexels"))).toBeUndefined();
    expect(await db().sourceSetting.findUnique({ where: { sourceId: "openverse" } })).toBeNull();
  });
});
