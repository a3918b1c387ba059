import { MetricName } from "../observability/telemetry.js";
import { retryDelaySeconds } from "../outcome/retry-delay.js";
import type { DispatchContext } from "./dispatch-context.js";
import type { DeliveryContext, DispatchOutcome } from "./types.js";

/** How a path hands a retry back to the queue. */
export interface RetryHandBack {
  /** Longest delay the mechanism allows (SQS DelaySeconds or a visibility timeout). */
  readonly limitSeconds: number;
  /** Log fields naming the job and its delivery. */
  readonly fields: Readonly<Record<string, unknown>>;
  /** The log line written once the retry is handed back. */
  readonly logMessage: string;
  /** Hands the job back to come again after `delaySeconds`; throws only if the retry would be lost. */
  readonly handBack: (delaySeconds: number) => Promise<void>;
}

/**
 * Schedules a retry: the delay (backoff with jitter, or GitHub's `retry-after`, capped at the
 * mechanism's limit), the hand-back, then the `DispatchRetried` (and `AmbiguousRetry`) metrics and
 * one log line. The SQS path and the direct path differ only in the {@link RetryHandBack}.
 * Returns the delay in seconds.
 */
export async function retryLater(
  ctx: DispatchContext,
  outcome: Extract<DispatchOutcome, { kind: "retry" }>,
  delivery: DeliveryContext,
  how: RetryHandBack,
): Promise<number> {
  const delay = retryDelaySeconds(outcome.failure, delivery.attempt, {
    limitSeconds: how.limitSeconds,
    random: ctx.clock.random,
  });
  await how.handBack(delay);
  ctx.telemetry.count(MetricName.DispatchRetried);
  if (outcome.failure.ambiguous) ctx.telemetry.count(MetricName.AmbiguousRetry);
  ctx.telemetry.logger.info(how.logMessage, {
    ...how.fields,
    outcome: "retry",
    delay_seconds: delay,
  });
  return delay;
}
