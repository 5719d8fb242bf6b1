import { NextRequest } from "next/server";
import { describe, expect, it } from "vitest";
import { proxy } from "@/proxy";
import { ROUTE_METHODS, routeFiles } from "@/tests/support/accounts";

// proxy.ts runs before every route and server action. A cross-site request never reaches
// them: these are the shapes a hostile page (or a rebinding one) can send.
const ATTACKS: Array<[string, Record<string, string>, string]> = [
  ["text/plain, no Origin (a simple request)", { "content-type": "text/plain" }, "{}"],
  [
    "form-encoded from another site",
    { "content-type": "application/x-www-form-urlencoded", origin: "http://evil.example", "sec-fetch-site": "cross-site" },
    "action=delete",
  ],
  ["JSON with a foreign Origin", { "content-type": "application/json", origin: "http://evil.example" }, "{}"],
  ["Sec-Fetch-Site: cross-site", { "content-type": "application/json", "sec-fetch-site": "cross-site" }, "{}"],
  [
    "text/plain from the page's own origin",
    { "content-type": "text/plain", origin: "http://127.0.0.1:3000", "sec-fetch-site": "same-origin" },
    "{}",
  ],
];

const pages = [
  "/",
  "/jobs",
  "/jobs/some-id",
  "/assets",
  "/assets/some-id",
  "/sources",
  "/users",
  "/account",
  "/setup",
  "/login",
  "/health",
];

const mutating = routeFiles()
  .filter((r) => r.route !== "/api/inngest")
  .flatMap((r) => ROUTE_METHODS.filter((m) => !["GET", "HEAD"].includes(m)).map((method) => ({ route: r.route, method, file: r.file })));

function send(method: string, path: string, headers: Record<string, string>, body?: string) {
  return proxy(new NextRequest(`http://127.0.0.1:3000${path}`, { method, headers: { host: "127.0.0.1:3000", ...headers }, body }));
}

describe("cross-site requests are refused before any route or server action runs", async () => {
  const routes: typeof mutating = [];
  for (const entry of mutating)
    if (typeof ((await import(entry.file)) as Record<string, unknown>)[entry.method] === "function") routes.push(entry);

  it("covers every mutating route", () => {
    expect(routes.map((r) => `${r.method} ${r.route}`)).toEqual(
      expect.arrayContaining([
        "POST /api/jobs",
        "POST /api/jobs/bulk",
        "POST /api/cleanup",
        "PATCH /api/sources/[id]",
        "DELETE /api/assets/[id]",
        "POST /api/auth/[...all]",
      ]),
    );
  });

  it.each(routes.map((r) => [`${r.method} ${r.route}`, r] as const))("%s", async (_name, { route, method }) => {
    const path = route.replace(/\[\.\.\.\w+\]/, "sign-in/username").replace(/\[\w+\]/g, "some-id");
    for (const [attack, headers, body] of ATTACKS) {
      const response = send(method, path, headers, body);
      expect([403, 415], attack).toContain(response.status);
      expect(response.headers.get("x-middleware-next"), attack).toBeNull();
    }
  });

  it.each(pages)("server actions posted to %s", (page) => {
    for (const [attack, headers, body] of ATTACKS.slice(0, 4)) {
      const response = send("POST", page, { ...headers, "next-action": "7f00000000000000000000000000000000000000" }, body);
      expect(response.status, attack).toBe(403);
    }
  });

  it("a foreign Host is refused on reads too; the app's own requests pass with security headers", () => {
    expect(send("GET", "/api/jobs", { host: "evil.example" }).status).toBe(403);
    const page = send("GET", "/", {});
    expect(page.headers.get("x-middleware-next")).toBe("1");
    expect(page.headers.get("content-security-policy")).toMatch(/script-src 'self' 'nonce-[^']+' 'strict-dynamic'.*frame-ancestors 'none'/);
    expect(page.headers.get("x-content-type-options")).toBe("nosniff");
    expect(page.headers.get("referrer-policy")).toBe("same-origin");
    const write = send("POST", "/api/jobs", { origin: "http://127.0.0.1:3000", "content-type": "application/json" }, "{}");
    expect(write.headers.get("x-middleware-next")).toBe("1");
  });
});

describe("better-auth's HTTP API is served only where Trawl's pages need it", async () => {
  const { appRequest, callRoute, signedInUser } = await import("@/tests/support/accounts");
  const { db } = await import("@/lib/db");

  it.each([
    "admin/impersonate-user",
    "admin/remove-user",
    "admin/set-role",
    "api-key/create",
    "update-user",
    "sign-up/email",
    "delete-user",
  ])("/api/auth/%s is not found, even for an administrator", async (endpoint) => {
    const segments = endpoint.split("/");
    const admin = await signedInUser(`admin-${segments.join("-")}`, "admin");
    const path = `/api/auth/${segments.join("/")}`;
    const response = await callRoute(
      "/api/auth/[...all]",
      "POST",
      appRequest("POST", path, { cookie: admin.cookie, body: { userId: admin.id, role: "user" } }),
      { all: segments },
    );
    expect(response.status).toBe(404);
    expect((await db().user.findUniqueOrThrow({ where: { id: admin.id } })).role).toBe("admin");
  });
});
