import { inngest } from "./client";

/** Sends an event to whichever engine is configured (used by routes and actions). */
export const sendEvent = (event: { name: string; data: Record<string, unknown> }) => inngest.send(event);
