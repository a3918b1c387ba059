import { MetricUnit } from "@aws-lambda-powertools/metrics";
import { FanOutMetricName } from "../fan-out/fan-out-metric-name.js";
import type { DispatchJob } from "../job/dispatch-job.js";
import { RetryableDispatchError } from "../outcome/errors.js";
import { delaySecondsUntil, MAX_SQS_DELAY_SECONDS } from "../outcome/retry-delay.js";
import type { DispatchContext } from "./dispatch-context.js";
import { jobFields, safeErrorFields } from "./record-outcome.js";
import type { DeliveryContext, DispatchOutcome } from "./types.js";

/** How long a copy waits while another copy of the same job or firing holds its key, ms. */
export const IN_PROGRESS_WAIT_MS = 30_000;

/**
 * Hands a job back to the dispatch queue until `untilMs` without counting an attempt: a new message
 * with the job's idempotency key pinned in its body (so every copy dedupes alike), the same `attempt`,
 * `not_before` = `untilMs` and `paced_since` (when it first had to wait), delayed until then in whole seconds, at most as long as SQS allows
 * (15 minutes; a longer wait takes more hops). The delivery at hand is then done. If the queue cannot be written, the outcome is a
 * transient retry, so the delivery path keeps the job.
 */
export async function deferJob(
  ctx: DispatchContext,
  job: DispatchJob,
  key: string | undefined,
  delivery: DeliveryContext,
  untilMs: number,
  reason: string,
): Promise<DispatchOutcome> {
  const delaySeconds = delaySecondsUntil(untilMs, ctx.clock.now(), {
    min: 1,
    max: MAX_SQS_DELAY_SECONDS,
  });
  const pinned = key === undefined ? job : { ...job, idempotency_key: key };
  const fields = { ...jobFields(job), idempotency_key: key, attempt: delivery.attempt };
  try {
    await ctx.queue.retryLater(pinned, delaySeconds, delivery.attempt, {
      not_before: untilMs,
      paced_since: delivery.attributes?.paced_since ?? ctx.clock.now(),
    });
  } catch (error) {
    ctx.telemetry.logger.warn("could not defer the job; keeping it for a retry", {
      ...fields,
      ...safeErrorFields(error),
    });
    const failure = new RetryableDispatchError(
      `could not hand the job back to the dispatch queue (${reason})`,
      { retryAfterSeconds: delaySeconds },
    );
    return { kind: "retry", job, idempotencyKey: key, failure };
  }
  ctx.telemetry.metrics.addMetric(FanOutMetricName.PacingDeferred, MetricUnit.Count, 1);
  ctx.telemetry.logger.info("dispatch deferred", {
    ...fields,
    outcome: "queued",
    reason,
    not_before: new Date(untilMs).toISOString(),
    delay_seconds: delaySeconds,
  });
  return { kind: "queued", job, idempotencyKey: key, count: 1, untilMs, reason };
}
