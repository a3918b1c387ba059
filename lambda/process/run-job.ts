import type { Dispatcher } from "../create-dispatcher.js";
import {
  FailureClass,
  InvalidJobError,
  PermanentDispatchError,
  RetryableDispatchError,
} from "../errors.js";
import { type DispatchResult, dispatchWorkflow } from "../github/dispatch-workflow.js";
import { type DispatchJob, isFanOutJob, type SingleDispatchJob } from "../job/dispatch-job.js";
import { idempotencyKey } from "../job/idempotency-key.js";
import { parseDispatchJob } from "../job/parse-job.js";
import { MetricName } from "../observability/telemetry.js";
import { dispatchTimeoutMs } from "./connection-within-deadline.js";
import { NO_DEADLINE } from "./invocation-deadline.js";
import { logOutcome } from "./log-outcome.js";
import { tokenWithinDeadline } from "./token-within-deadline.js";
import type { DeliveryContext, DispatchOutcome } from "./types.js";

function allowlistRefusal(d: Dispatcher, job: SingleDispatchJob): PermanentDispatchError {
  return new PermanentDispatchError(d.config.allowlist.refusal(job.owner, job.repo));
}

async function dispatchWithToken(
  d: Dispatcher,
  job: SingleDispatchJob,
  secretId: string,
  delivery: DeliveryContext,
): Promise<DispatchResult> {
  const deadline = delivery.deadline ?? NO_DEADLINE;
  // A cached token needs no waiting, hence no deadline race: the usual case on a warm container.
  const token =
    d.tokens.cachedToken(secretId) ?? (await tokenWithinDeadline(d, secretId, deadline));
  try {
    const timeoutMs = dispatchTimeoutMs(d, deadline);
    return await dispatchWorkflow(d.github, { job, token, secretId, timeoutMs });
  } catch (error) {
    if (!(error instanceof PermanentDispatchError) || error.status !== 401) throw error;
  }
  // The token was rejected: it may have been rotated since it was cached. Read it once more.
  d.tokens.invalidate(secretId);
  const fresh = await tokenWithinDeadline(d, secretId, deadline);
  const timeoutMs = dispatchTimeoutMs(d, deadline);
  return dispatchWorkflow(d.github, { job, token: fresh, secretId, timeoutMs });
}

/**
 * Dispatches one validated single-repository job: allowlist, token, dispatch (with one re-read of
 * the secret after a 401), classification. Returns the outcome; never throws a classified failure.
 * The fan-out module calls this for each target.
 */
export async function runSingleJob(
  d: Dispatcher,
  job: SingleDispatchJob,
  delivery: DeliveryContext,
): Promise<DispatchOutcome> {
  const key = idempotencyKey(job, delivery.identity);
  const started = performance.now();
  let outcome: DispatchOutcome;
  if (!d.config.allowlist.allows(job.owner, job.repo)) {
    outcome = { kind: "parked", job, idempotencyKey: key, failure: allowlistRefusal(d, job) };
  } else {
    try {
      const result = await dispatchWithToken(
        d,
        job,
        job.token_secret ?? d.config.defaultTokenSecret,
        delivery,
      );
      outcome = { kind: "dispatched", job, idempotencyKey: key, results: [result] };
    } catch (error) {
      if (error instanceof RetryableDispatchError) {
        outcome = { kind: "retry", job, idempotencyKey: key, failure: error };
      } else if (error instanceof PermanentDispatchError) {
        outcome = { kind: "parked", job, idempotencyKey: key, failure: error };
      } else {
        throw error;
      }
    }
  }
  const latencyMs = Math.round(performance.now() - started);
  if (outcome.kind === "dispatched") {
    d.telemetry.count(MetricName.Dispatched);
    d.telemetry.latency(latencyMs);
    if (job.scheduler) {
      const scheduled = Date.parse(job.scheduler.scheduled_time);
      if (!Number.isNaN(scheduled))
        d.telemetry.scheduleLag(Math.max(0, (d.now() - scheduled) / 1000));
    }
  } else {
    d.telemetry.failed(
      outcome.kind === "retry" ? outcome.failure.failureClass : FailureClass.Permanent,
    );
  }
  logOutcome(d.telemetry.logger, outcome, delivery, latencyMs);
  return outcome;
}

/**
 * Validates an unvalidated job and runs it: a single job through {@link runSingleJob}, a fan-out job
 * through the dispatcher's fan-out seam. A job that does not validate is parked.
 */
export async function runJob(
  d: Dispatcher,
  rawJob: unknown,
  delivery: DeliveryContext,
): Promise<DispatchOutcome> {
  let job: DispatchJob;
  try {
    job = parseDispatchJob(rawJob, { maxInputs: d.config.maxInputs });
  } catch (error) {
    if (!(error instanceof InvalidJobError)) throw error;
    return invalidJobOutcome(d, error, delivery);
  }
  if (isFanOutJob(job)) return d.fanOut(job, delivery);
  const single = job;
  if (d.guard) return d.guard(single, delivery, () => runSingleJob(d, single, delivery));
  return runSingleJob(d, job, delivery);
}

/** The outcome of a job that never validated (or an event that carried none): parked, with metrics and a log line. */
export function invalidJobOutcome(
  d: Dispatcher,
  error: InvalidJobError,
  delivery: DeliveryContext,
): DispatchOutcome {
  const outcome: DispatchOutcome = {
    kind: "parked",
    job: undefined,
    idempotencyKey: delivery.identity.sqsMessageId ?? delivery.identity.eventBridgeEventId,
    failure: error,
  };
  d.telemetry.failed(FailureClass.Permanent);
  logOutcome(d.telemetry.logger, outcome, delivery, 0);
  return outcome;
}
