import { isFanOutJob } from "../job/dispatch-job.js";
import { redactSecrets } from "../observability/redact-secrets.js";
import { MetricName } from "../observability/telemetry.js";
import { FailureClass, InvalidJobError } from "../outcome/errors.js";
import type { ParkedFailure } from "../queue/dispatch-queue.js";
import type { DispatchContext } from "./dispatch-context.js";
import { jobFields, safeErrorFields } from "./record-outcome.js";
import type { DeliveryContext, DispatchOutcome } from "./types.js";

/** A parked outcome, or a retry that has used up its attempts. */
export type ParkableOutcome = Extract<DispatchOutcome, { kind: "parked" | "retry" }>;

/** The dead-letter record of an outcome; a retry given up after `attempt` attempts says so in the reason. */
function parkedFailure(
  outcome: ParkableOutcome,
  delivery: DeliveryContext,
  now: Date,
): ParkedFailure {
  const failure = outcome.failure;
  const job = outcome.job;
  const single = job !== undefined && !isFanOutJob(job) ? job : undefined;
  const reason =
    outcome.kind === "retry"
      ? `gave up after ${delivery.attempt} attempts: ${failure.message}`
      : failure.message;
  return {
    reason: redactSecrets(reason),
    failureClass: outcome.kind === "retry" ? outcome.failure.failureClass : FailureClass.Permanent,
    errorName: failure.name,
    status: failure instanceof InvalidJobError ? 0 : failure.status,
    source: delivery.source,
    repository: single ? `${single.owner}/${single.repo}` : undefined,
    workflowId: job?.workflow_id,
    attempts: delivery.attempt,
    failedAt: now,
  };
}

/**
 * Writes the job's original body to the dead-letter queue with why. Logs and rethrows when the queue
 * cannot be written: the caller then keeps the job (SQS: reports it failed; direct: fails the invocation).
 */
export async function parkJob(
  ctx: DispatchContext,
  originalBody: string,
  outcome: ParkableOutcome,
  delivery: DeliveryContext,
): Promise<ParkedFailure> {
  const record = parkedFailure(outcome, delivery, new Date(ctx.clock.now()));
  const fields = { ...jobFields(outcome.job), source: delivery.source, attempt: delivery.attempt };
  try {
    await ctx.queue.parkInDeadLetterQueue(originalBody, record);
  } catch (error) {
    ctx.telemetry.logger.error("could not write the dead-letter queue; keeping the job", {
      ...fields,
      ...safeErrorFields(error),
    });
    throw error;
  }
  ctx.telemetry.count(MetricName.DeadLettered);
  ctx.telemetry.logger.info("job parked in the dead-letter queue", {
    ...fields,
    outcome: "parked",
    reason: record.reason,
    failure_class: record.failureClass,
  });
  return record;
}
