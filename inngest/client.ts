import { Inngest } from "inngest";
import { config } from "@/lib/config";
import { APP_ID } from "./function-ids";

// One client for the whole app. The engine mode comes from configuration alone:
// offline (Trawl's local engine, the default), dev (INNGEST_DEV) or cloud/self-hosted
// (INNGEST_EVENT_KEY / INNGEST_SIGNING_KEY / INNGEST_BASE_URL).
function createClient() {
  const { engine } = config();
  const local = engine.mode !== "cloud";
  return new Inngest({
    id: APP_ID,
    isDev: local,
    ...(engine.baseUrl ? { baseUrl: engine.baseUrl } : {}),
    ...(engine.eventKey ? { eventKey: engine.eventKey } : {}),
  });
}

export const inngest = createClient();

/** Sends an event to whichever engine is configured (used by routes, actions and the recovery sweep). */
export const sendEvent = (event: { name: string; data: Record<string, unknown> }) => inngest.send(event);
