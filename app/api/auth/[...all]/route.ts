import { toNextJsHandler } from "better-auth/next-js";
import { auth } from "@/lib/auth/server";

export const dynamic = "force-dynamic";

// better-auth's own endpoints: sign-in (rate-limited in the database), sign-out, sessions.
// Sign-up is off: accounts come from the first-run set-up, administrators or `npm run user`.
const handler = toNextJsHandler(async (request: Request) => (await auth()).handler(request));
export const { GET, POST } = handler;
