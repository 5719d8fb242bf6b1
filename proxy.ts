import { NextResponse, type NextRequest } from "next/server";
import { configuredPolicy, refusal } from "@/lib/auth/request-policy";
import { CLIENT_IP_HEADER } from "@/lib/auth/client-ip";
import { COMMON_SECURITY_HEADERS, pageSecurityPolicy } from "@/lib/auth/security-headers";

// Every request passes here first: refused if its Host is foreign or it is a cross-site
// write (lib/auth/request-policy.ts); pages get a per-request CSP nonce and security headers.
// Who the user is, and what they may touch, is decided in the routes and pages (lib/auth).

export function proxy(request: NextRequest) {
  const refused = refusal(request, configuredPolicy(), request.headers.get(CLIENT_IP_HEADER));
  if (refused) {
    return NextResponse.json({ error: { message: refused.message } }, { status: refused.status, headers: COMMON_SECURITY_HEADERS });
  }
  const isPage = !request.nextUrl.pathname.startsWith("/api/");
  const nonce = isPage ? btoa(crypto.randomUUID()) : null;
  const csp = nonce ? pageSecurityPolicy(nonce, process.env.NODE_ENV === "development") : null;
  const requestHeaders = new Headers(request.headers);
  if (csp && nonce) {
    // Next reads the nonce from the request's CSP header and puts it on its own scripts.
    requestHeaders.set("content-security-policy", csp);
    requestHeaders.set("x-nonce", nonce);
  }
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  for (const [name, value] of Object.entries(COMMON_SECURITY_HEADERS)) response.headers.set(name, value);
  if (csp) response.headers.set("Content-Security-Policy", csp);
  return response;
}

export const config = {
  matcher: ["/((?!_next/static|_next/image|favicon.svg).*)"],
};
