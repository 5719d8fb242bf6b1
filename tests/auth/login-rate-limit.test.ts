import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

// Sign-in attempts are counted per client address in the database (better-auth's database
// store), so every app instance sees the same counts. Three attempts per two seconds here.
vi.stubEnv("TRAWL_LOGIN_MAX_ATTEMPTS", "3");
vi.stubEnv("TRAWL_LOGIN_WINDOW_SECONDS", "2");

const { db } = await import("@/lib/db");
const { config } = await import("@/lib/config");
const { startOtherSqliteProcess } = await import("@/tests/support/other-sqlite-process");
const { appRequest, callRoute, PASSWORD, signedInUser } = await import("@/tests/support/accounts");

beforeAll(() => signedInUser("erin"));
afterAll(() => db().$disconnect());

const attempt = (password: string, ip: string) =>
  callRoute(
    "/api/auth/[...all]",
    "POST",
    appRequest("POST", "/api/auth/sign-in/username", { body: { username: "erin", password }, headers: { "x-trawl-client-ip": ip } }),
    {
      all: ["sign-in", "username"],
    },
  );

describe("login rate limiting", () => {
  it("refuses further attempts from an address with 429 and a clear message, counts in the database, and recovers", async () => {
    for (let i = 0; i < 3; i++) expect((await attempt("wrong password", "198.51.100.1")).status).toBe(401);
    const limited = await attempt(PASSWORD, "198.51.100.1");
    expect(limited.status).toBe(429);
    expect(await limited.json()).toEqual({ message: "Too many requests. Please try again later." });
    expect(Number(limited.headers.get("x-retry-after"))).toBeGreaterThan(0);
    const rows = await db().rateLimit.findMany();
    expect(rows.some((row) => row.key.includes("198.51.100.1") && row.count === 3)).toBe(true);

    // Another address is not affected.
    expect((await attempt(PASSWORD, "198.51.100.2")).status).toBe(200);

    await new Promise((resolve) => setTimeout(resolve, 2_100));
    expect((await attempt(PASSWORD, "198.51.100.1")).status).toBe(200);
  });
});

describe.skipIf(config().databaseKind !== "sqlite")("signing in while another process writes (SQLite)", () => {
  it("never fails: the rate limit's read-then-update transaction waits for the job worker's writes", async () => {
    const worker = await startOtherSqliteProcess(config().databaseUrl.replace(/^file:/, ""));
    try {
      await worker.keepWriting(
        `INSERT INTO "Lease" ("name", "holder", "expiresAt") VALUES ('busy-elsewhere', 'worker', ?)
         ON CONFLICT ("name") DO UPDATE SET "expiresAt" = excluded."expiresAt"`,
      );
      // Each address's 2nd and 3rd attempts update its counting row (find, then update).
      const addresses = Array.from({ length: 8 }, (_, n) => `198.51.100.${100 + n}`);
      const statuses = await Promise.all(
        addresses.map(async (ip) => {
          const seen = [];
          for (let n = 0; n < 3; n++) seen.push((await attempt(PASSWORD, ip)).status);
          return seen;
        }),
      );
      expect(statuses.flat()).toEqual(Array(24).fill(200));
    } finally {
      worker.stop();
    }
  });
});
