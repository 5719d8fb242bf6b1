import { NonRetriableError, type GetStepTools } from "inngest";
import type { z } from "zod";
import type { inngest } from "@/inngest/client";
import { ANALYSIS_REQUESTED, SOURCE_REQUESTED } from "@/lib/jobs/engine-messages";
import type { Handoff, StepRunner } from "@/lib/jobs/orchestration";
import { honourRateLimits } from "./rate-limits";

type Steps = GetStepTools<typeof inngest>;

/** The orchestration's steps as step.run (results travel as JSON: every step returns plain JSON values). */
export const stepRunner = (step: Steps) => ((name, body) => step.run(name, () => honourRateLimits(body))) as StepRunner;

/** The orchestration's handoffs as events sent by a step, so each next run starts once this step is done. */
export function handoffBySteps(step: Steps): Handoff {
  return {
    async sources(requests) {
      await step.sendEvent(
        requests.length === 1 ? `continue ${requests[0].sourceId}` : "run the sources",
        requests.map((data) => ({ name: SOURCE_REQUESTED, data })),
      );
    },
    async analysis(request) {
      await step.sendEvent(`analyse files from round ${request.round}`, { name: ANALYSIS_REQUESTED, data: request });
    },
  };
}

/** An event's payload parsed with its schema; a malformed one fails the run at once (retrying cannot mend it). */
export function payloadOf<S extends z.ZodType>(schema: S, data: unknown, what: string): z.infer<S> {
  const parsed = schema.safeParse(data);
  if (!parsed.success) throw new NonRetriableError(`${what}: ${parsed.error.message}`);
  return parsed.data;
}
