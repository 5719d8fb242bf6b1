import { auth, exposedAuthPath } from "@/lib/auth/server";
import { jsonError } from "@/lib/http/responses";

export const dynamic = "force-dynamic";

// The part of better-auth's HTTP API that Trawl's pages use: signing in (rate-limited in the
// database), signing out, the session. Everything else (accounts, keys, administration)
// goes through Trawl's own pages and lib/auth, where its rules live.
async function handle(request: Request, { params }: { params: Promise<{ all: string[] }> }) {
  if (!exposedAuthPath((await params).all)) return jsonError(404, "Not found");
  return (await auth()).handler(request);
}

export { handle as GET, handle as POST };
