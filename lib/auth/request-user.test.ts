import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

// An authenticating reverse proxy (Authelia, Authentik) names the user in a header; Trawl
// believes it only from TRAWL_TRUSTED_PROXIES, as seen by its own web server.
vi.stubEnv("TRAWL_AUTH_PROXY_HEADER", "Remote-User");
vi.stubEnv("TRAWL_TRUSTED_PROXIES", "10.0.0.5");

const { db } = await import("@/lib/db");
const { createUser, setUserDisabled } = await import("./accounts");
const { identify } = await import("./request-user");
const { PASSWORD } = await import("@/tests/support/accounts");

let userId: string;
beforeAll(async () => {
  userId = (await createUser(db(), { username: "kim", email: "kim@example.org", password: PASSWORD })).id;
});
afterAll(() => db().$disconnect());

const headers = (values: Record<string, string>) => new Headers(values);

describe("the reverse proxy's user header", () => {
  it("names an existing user by username or e-mail when it comes from a trusted proxy", async () => {
    expect(await identify(headers({ "remote-user": "Kim", "x-trawl-client-ip": "10.0.0.5" }))).toMatchObject({
      ok: true,
      user: { id: userId, via: "proxy" },
    });
    expect(await identify(headers({ "remote-user": "kim@example.org", "x-trawl-client-ip": "10.0.0.5" }))).toMatchObject({
      ok: true,
      user: { id: userId },
    });
  });

  it("is refused from anyone else, for unknown users and for disabled ones", async () => {
    expect(await identify(headers({ "remote-user": "kim", "x-trawl-client-ip": "192.0.2.1" }))).toEqual({
      ok: false,
      reason: "The remote-user header is accepted only from TRAWL_TRUSTED_PROXIES",
    });
    expect(await identify(headers({ "remote-user": "kim" }))).toMatchObject({ ok: false });
    expect(await identify(headers({ "remote-user": "nobody", "x-trawl-client-ip": "10.0.0.5" }))).toEqual({
      ok: false,
      reason: "No Trawl user named nobody: an administrator creates it first",
    });
    const admin = await createUser(db(), { username: "boss", password: PASSWORD, role: "admin" });
    await setUserDisabled(db(), admin.id, userId, true);
    expect(await identify(headers({ "remote-user": "kim", "x-trawl-client-ip": "10.0.0.5" }))).toEqual({
      ok: false,
      reason: "This account is disabled",
    });
  });

  it("without the header, a request is anonymous", async () => {
    expect(await identify(headers({ "x-trawl-client-ip": "10.0.0.5" }))).toEqual({ ok: false, reason: "Sign in first" });
  });
});
