import { Cron } from "croner";

// Cron triggers: as on Inngest, a schedule starts its functions with the event
// "inngest/scheduled.timer" whose data.cron is the expression. An expression may start with
// Inngest's "TZ=<zone> " prefix; croner reads the rest (5 fields, or 6 with seconds).

export const SCHEDULED_EVENT = "inngest/scheduled.timer";

export function parseCron(expression: string) {
  const match = /^TZ=(\S+)\s+(.+)$/.exec(expression.trim());
  const [pattern, timezone] = match ? [match[2], match[1]] : [expression.trim(), undefined];
  // Throws on a malformed pattern or an unknown zone, which rejects the registration.
  new Cron(pattern, { timezone, paused: true }).stop();
  return { pattern, timezone };
}

/** One timer per distinct expression among the registered functions. */
export class CronTimers {
  private readonly timers = new Map<string, Cron>();

  constructor(private readonly onTick: (expression: string) => void) {}

  /** Starts timers for new expressions and stops those no function uses any more. */
  update(expressions: Iterable<string>) {
    const wanted = new Set(expressions);
    for (const [expression, timer] of this.timers) {
      if (!wanted.has(expression)) {
        timer.stop();
        this.timers.delete(expression);
      }
    }
    for (const expression of wanted) {
      if (this.timers.has(expression)) continue;
      const { pattern, timezone } = parseCron(expression);
      this.timers.set(expression, new Cron(pattern, { timezone, protect: true }, () => this.onTick(expression)));
    }
  }

  stop() {
    for (const timer of this.timers.values()) timer.stop();
    this.timers.clear();
  }
}
