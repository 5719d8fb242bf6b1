import type { GetStepTools } from "inngest";
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
