import fs from "node:fs";
import path from "node:path";
import { createUser } from "@/lib/auth/accounts";
import { auth } from "@/lib/auth/server";
import { config } from "@/lib/config";
import { db } from "@/lib/db";

// Real accounts for route tests: users made through better-auth, signed in through its
// sign-in endpoint, and requests shaped as a browser on Trawl's own pages would send them.

export const PASSWORD = "correct horse battery";

export type SignedIn = { id: string; username: string; cookie: string };

let signIns = 0;

/** The session cookie from a real sign-in (better-auth's HTTP handler, as the login page uses it). */
export async function signIn(username: string, password = PASSWORD) {
  // Each from its own address, so tests never meet the login rate limit by accident.
  const clientIp = `203.0.113.${++signIns % 250}`;
  const response = await (
    await auth()
  ).handler(appRequest("POST", "/api/auth/sign-in/username", { body: { username, password }, headers: { "x-trawl-client-ip": clientIp } }));
  if (!response.ok) throw new Error(`sign-in of ${username} failed: ${response.status} ${await response.text()}`);
  const cookie = response.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");
  return cookie;
}

export async function signedInUser(username: string, role: "admin" | "user" = "user"): Promise<SignedIn> {
  const { id } = await createUser(db(), { username, password: PASSWORD, role });
  return { id, username, cookie: await signIn(username) };
}

type RequestOptions = { body?: unknown; cookie?: string; headers?: Record<string, string> };

/** A request as Trawl's own pages send it: its Host, its Origin for writes, JSON bodies. */
export function appRequest(method: string, pathAndQuery: string, options: RequestOptions = {}) {
  const origin = config().appUrl;
  const headers = new Headers({ host: new URL(origin).host, ...options.headers });
  if (options.cookie) headers.set("cookie", options.cookie);
  if (!["GET", "HEAD"].includes(method) && !headers.has("origin")) headers.set("origin", origin);
  let body: string | undefined;
  if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    if (!headers.has("content-type")) headers.set("content-type", "application/json");
  }
  return new Request(`${origin}${pathAndQuery}`, { method, headers, body });
}

/** Every route file under app/api, as [route path, file] ("/api/jobs/[id]/cancel"). */
export function routeFiles() {
  const root = path.join(config().root, "app", "api");
  return (fs.readdirSync(root, { recursive: true }) as string[])
    .filter((file) => path.basename(file) === "route.ts")
    .map((file) => ({ route: `/api/${path.dirname(file).split(path.sep).join("/")}`.replace(/\/\.$/, ""), file: path.join(root, file) }))
    .sort((a, b) => a.route.localeCompare(b.route));
}

export const ROUTE_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"] as const;

type RouteHandler = (request: Request, context: { params: Promise<Record<string, string | string[]>> }) => Promise<Response>;

/** Calls a route module's handler the way Next does: the request and its dynamic params. */
export async function callRoute(route: string, method: string, request: Request, params: Record<string, string | string[]> = {}) {
  const file = routeFiles().find((r) => r.route === route);
  if (!file) throw new Error(`no route file for ${route}`);
  const handlers = (await import(file.file)) as Record<string, RouteHandler | undefined>;
  const handler = handlers[method];
  if (!handler) throw new Error(`${route} has no ${method} handler`);
  return handler(request, { params: Promise.resolve(params) });
}
