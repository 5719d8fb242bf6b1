import { identify, type RequestUser } from "@/lib/auth/request-user";
import { jsonError } from "./responses";

type Handler<C> = (request: Request, user: RequestUser, context: C) => Promise<Response>;

/** A route handler for signed-in users and API keys: anything else gets 401 before it runs. */
export function withUser<C>(handler: Handler<C>) {
  return async (request: Request, context: C) => {
    const who = await identify(request.headers);
    if (!who.ok) return jsonError(401, who.reason);
    return handler(request, who.user, context);
  };
}

/** As withUser, and the user must be an administrator (403 otherwise). */
export function withAdmin<C>(handler: Handler<C>) {
  return withUser<C>(async (request, user, context) =>
    user.role === "admin" ? handler(request, user, context) : jsonError(403, "Only an administrator may do this"),
  );
}
