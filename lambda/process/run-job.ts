import { type DispatchJob, isFanOutJob } from "../job/dispatch-job.js";
import { parseDispatchJob } from "../job/parse-job.js";
import { InvalidJobError } from "../outcome/errors.js";
import type { DispatchContext } from "./dispatch-context.js";
import { recordOutcome } from "./record-outcome.js";
import { runFanOutJob } from "./run-fan-out-job.js";
import { runSingleJob } from "./run-single-job.js";
import type { DeliveryContext, DispatchOutcome } from "./types.js";

/**
 * Validates an unvalidated job and runs it: a single job through {@link runSingleJob}, a fan-out job
 * through {@link runFanOutJob}. A job that does not validate is parked.
 */
export async function runJob(
  ctx: DispatchContext,
  rawJob: unknown,
  delivery: DeliveryContext,
): Promise<DispatchOutcome> {
  let job: DispatchJob;
  try {
    job = parseDispatchJob(rawJob, { maxInputs: ctx.config.maxInputs });
  } catch (error) {
    if (!(error instanceof InvalidJobError)) throw error;
    return invalidJobOutcome(ctx, error, delivery);
  }
  // Scheduler context is trusted only where the function itself (or Scheduler) put it.
  if (delivery.identity.fromProducer && job.scheduler !== undefined) {
    const { scheduler: _untrusted, ...rest } = job;
    job = rest;
  }
  return isFanOutJob(job) ? runFanOutJob(ctx, job, delivery) : runSingleJob(ctx, job, delivery);
}

/** The outcome of a job that never validated (or an event that carried none): parked, with metrics and a log line. */
export function invalidJobOutcome(
  ctx: DispatchContext,
  error: InvalidJobError,
  delivery: DeliveryContext,
): DispatchOutcome {
  const outcome: DispatchOutcome = {
    kind: "parked",
    job: undefined,
    idempotencyKey: delivery.identity.sqsMessageId ?? delivery.identity.eventBridgeEventId,
    failure: error,
  };
  recordOutcome(ctx, outcome, delivery, 0);
  return outcome;
}
