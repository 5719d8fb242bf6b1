import { afterAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { appRequest, ROUTE_METHODS, routeFiles } from "@/tests/support/accounts";

// Every route file under app/api is found from the tree, so a new route cannot be
// forgotten: without a session or an API key it answers 401, unless it is on this list.
const OPEN = new Map<string, string>([
  ["GET /api/health", "the health summary: start-up scripts and load balancers poll it"],
  ["GET /api/auth/[...all]", "better-auth: sign-in, session and sign-out endpoints"],
  ["POST /api/auth/[...all]", "better-auth: sign-in, session and sign-out endpoints"],
  ["GET /api/inngest", "the engine's endpoint: Inngest's signing (and, offline, loopback only) protects it"],
  ["POST /api/inngest", "the engine's endpoint"],
  ["PUT /api/inngest", "the engine's endpoint"],
]);

const exampleParams = (route: string) =>
  Object.fromEntries([...route.matchAll(/\[(\.\.\.)?(\w+)\]/g)].map(([, rest, name]) => [name, rest ? ["session"] : "some-id"]));

const examplePath = (route: string) => route.replace(/\[\.\.\.\w+\]/g, "session").replace(/\[\w+\]/g, "some-id");

afterAll(() => db().$disconnect());

describe("every API route needs a signed-in user or an API key", async () => {
  const cases: Array<{ key: string; route: string; method: string; file: string }> = [];
  for (const { route, file } of routeFiles()) {
    const handlers = (await import(file)) as Record<string, unknown>;
    for (const method of ROUTE_METHODS)
      if (typeof handlers[method] === "function") cases.push({ key: `${method} ${route}`, route, method, file });
  }

  it("finds the routes in the tree", () => {
    expect(cases.length).toBeGreaterThan(20);
    for (const open of OPEN.keys()) expect(cases.map((c) => c.key)).toContain(open);
  });

  it.each(cases.filter((c) => !OPEN.has(c.key)).map((c) => [c.key, c] as const))(
    "%s answers 401 to an anonymous request",
    async (_key, c) => {
      const handlers = (await import(c.file)) as Record<string, (request: Request, context: unknown) => Promise<Response>>;
      const hasBody = ["POST", "PUT", "PATCH"].includes(c.method);
      const request = appRequest(c.method, examplePath(c.route), hasBody ? { body: {} } : {});
      const response = await handlers[c.method](request, { params: Promise.resolve(exampleParams(c.route)) });
      expect(response.status).toBe(401);
      if (c.method !== "HEAD") expect(await response.json()).toEqual({ error: { message: "Sign in first" } });
    },
  );

  it.each(cases.filter((c) => !OPEN.has(c.key)).map((c) => [c.key, c] as const))("%s answers 401 to a forged API key", async (_key, c) => {
    const handlers = (await import(c.file)) as Record<string, (request: Request, context: unknown) => Promise<Response>>;
    const request = appRequest(c.method, examplePath(c.route), { headers: { authorization: `Bearer trawl_${"x".repeat(64)}` } });
    const response = await handlers[c.method](request, { params: Promise.resolve(exampleParams(c.route)) });
    expect(response.status).toBe(401);
  });
});
