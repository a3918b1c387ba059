import { idempotencyKey } from "../job/dispatch-job.js";
import { parseDispatchJob } from "../job/parse-job.js";
import type { DispatchContext } from "./dispatch-context.js";
import { jobFields, logOutcome, safeErrorFields } from "./record-outcome.js";
import type { DeliveryContext, DispatchOutcome } from "./types.js";

/**
 * Hands a directly invoked job to the dispatch queue, undelayed, instead of dispatching it here
 * (the invocation has too little time left): the SQS path dispatches it at once, with the same
 * attempt, its idempotency key pinned in the body so the queued copy dedupes like the original
 * firing. Throws `InvalidJobError` for a job that does not validate (the caller parks it), and
 * rethrows when the queue cannot be written, so Lambda's own async retry takes over.
 */
export async function handToQueue(
  ctx: DispatchContext,
  rawJob: unknown,
  delivery: DeliveryContext,
  reason: string,
): Promise<DispatchOutcome> {
  const job = parseDispatchJob(rawJob, { maxInputs: ctx.config.maxInputs });
  const key = idempotencyKey(job, delivery.identity);
  const pinned = { ...job, idempotency_key: job.idempotency_key ?? key };
  try {
    await ctx.queue.retryLater(pinned, 0, delivery.attempt);
  } catch (error) {
    ctx.telemetry.logger.error(
      "could not hand the job to the dispatch queue; failing the invocation",
      {
        ...jobFields(job),
        source: delivery.source,
        ...safeErrorFields(error),
      },
    );
    throw error;
  }
  const outcome: DispatchOutcome = { kind: "queued", job, idempotencyKey: key, count: 1, reason };
  logOutcome(ctx.telemetry.logger, outcome, delivery, 0);
  return outcome;
}
