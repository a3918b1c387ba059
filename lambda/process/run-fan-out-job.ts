import { MetricUnit } from "@aws-lambda-powertools/metrics";
import { expandFanOutJob, type FanOutExpansion } from "../fan-out/expand-fan-out-job.js";
import { FanOutMetricName } from "../fan-out/fan-out-metric-name.js";
import type { FanOutDispatchJob } from "../job/dispatch-job.js";
import { idempotencyKey } from "../job/dispatch-job.js";
import { PermanentDispatchError, RetryableDispatchError } from "../outcome/errors.js";
import { delaySecondsUntil, MAX_SQS_DELAY_SECONDS } from "../outcome/retry-delay.js";
import { enqueueJobs } from "../queue/enqueue-jobs.js";
import type { OutgoingMessage } from "../queue/plan-message-batches.js";
import { CLAIM_LEASE_MS, ClaimedWork } from "../state/dispatch-claims.js";
import { deferJob, IN_PROGRESS_WAIT_MS } from "./defer-job.js";
import type { DispatchContext } from "./dispatch-context.js";
import { parkRefusedTargets } from "./park-refused-targets.js";
import { logOutcome, safeErrorFields } from "./record-outcome.js";
import { resolveFanOutTargets } from "./resolve-fan-out-targets.js";
import type { DeliveryContext, DispatchOutcome } from "./types.js";

/** Workflow-file checks in flight at once for `require_workflow_file`. */
const LIST_CONCURRENCY = 8;

/** What one expansion did, stored as the firing's idempotency result. */
interface FanOutSummary {
  readonly size: number;
  readonly refused: number;
  readonly repeated: number;
  /** Repositories GitHub listed for a selection, before filtering. */
  readonly listed?: number;
}

async function messagesFor(
  ctx: DispatchContext,
  expansion: FanOutExpansion,
  secretId: string,
): Promise<OutgoingMessage[]> {
  const places =
    expansion.jobs.length === 0 ? [] : await ctx.fanOutPacer.book(secretId, expansion.jobs.length);
  const now = ctx.clock.now();
  return expansion.jobs.map((child, i) => {
    const place = places[i];
    if (place === undefined) return { body: JSON.stringify(child) };
    return {
      body: JSON.stringify(child),
      delaySeconds: delaySecondsUntil(place, now, { min: 0, max: MAX_SQS_DELAY_SECONDS }),
      attributes: {
        not_before: { DataType: "Number", StringValue: String(place) },
        paced_since: { DataType: "Number", StringValue: String(now) },
      },
    };
  });
}

async function expandAndEnqueue(
  ctx: DispatchContext,
  job: FanOutDispatchJob,
  delivery: DeliveryContext,
  firingKey: string,
): Promise<FanOutSummary> {
  const secretId = job.token_secret ?? ctx.config.defaultTokenSecret;
  const { targets, selection } = await resolveFanOutTargets(ctx, job, secretId, LIST_CONCURRENCY);
  const expansion = expandFanOutJob(job, targets, {
    firingKey,
    allowlist: ctx.config.allowlist,
    maxInputs: ctx.config.maxInputs,
  });
  const queueUrl = ctx.config.dispatchQueueUrl;
  if (!queueUrl) throw new Error("DISPATCH_QUEUE_URL: not set; set it to the stack's queue URL");
  const sent = await enqueueJobs(await messagesFor(ctx, expansion, secretId), {
    sqs: ctx.sqs,
    queueUrl,
  });
  if (sent.unsent.length > 0) {
    throw new RetryableDispatchError(
      `could not queue ${sent.unsent.length} of ${expansion.jobs.length} targets of the fan-out (${sent.unsent[0]?.reason}); it is expanded again later and targets already queued are not dispatched twice`,
    );
  }
  await parkRefusedTargets(ctx, expansion, job, delivery);
  const summary: FanOutSummary = {
    size: expansion.jobs.length,
    refused: expansion.refused.length,
    repeated: expansion.repeated.length,
    ...(selection ? { listed: selection.listed } : {}),
  };
  ctx.telemetry.metrics.addMetric(FanOutMetricName.FanOutSize, MetricUnit.Count, summary.size);
  ctx.telemetry.metrics.addMetric(
    FanOutMetricName.FanOutRefused,
    MetricUnit.Count,
    summary.refused,
  );
  ctx.telemetry.logger.info("fan-out expanded", {
    workflow: job.workflow_id,
    idempotency_key: firingKey,
    source: delivery.source,
    fan_out_size: summary.size,
    refused: expansion.refused.map((r) => ({ repository: r.repository, reason: r.reason })),
    repeated: expansion.repeated.map((r) => r.reason),
    ...(selection ? { listed: selection.listed, excluded: selection.excluded } : {}),
  });
  return summary;
}

/** What the expansion would send: a firing's key may only suppress the same fan-out. */
function fanOutOf(job: FanOutDispatchJob) {
  return {
    targets: job.targets,
    workflow_id: String(job.workflow_id),
    ref: job.ref,
    inputs: job.inputs ?? {},
  };
}

/** A failure of the expansion as an outcome: classified ones as they are, anything else transient. */
function failedExpansion(
  ctx: DispatchContext,
  job: FanOutDispatchJob,
  firingKey: string,
  error: unknown,
): DispatchOutcome {
  if (error instanceof RetryableDispatchError)
    return { kind: "retry", job, idempotencyKey: firingKey, failure: error };
  if (error instanceof PermanentDispatchError)
    return { kind: "parked", job, idempotencyKey: firingKey, failure: error };
  const name = error instanceof Error ? error.name : "Error";
  ctx.telemetry.logger.warn("fan-out failed; retrying it later", safeErrorFields(error));
  const failure = new RetryableDispatchError(`fan-out expansion failed (${name}); retrying later`, {
    cause: error,
  });
  return { kind: "retry", job, idempotencyKey: firingKey, failure };
}

/**
 * Expands a firing of a fan-out job once: claims the firing's key (a completed key is a suppressed
 * duplicate, a key held by a copy defers, a key used for another fan-out parks), resolves the targets
 * (an explicit list, or the repositories a selection names when the job fires), expands them into
 * single jobs each keyed by the firing and the target, queues them with SendMessageBatch, each
 * booked a place in the token's line, and parks refused targets with their reason. A failed
 * expansion releases the key and is retried whole (targets already queued dedupe).
 */
async function expandOnce(
  ctx: DispatchContext,
  job: FanOutDispatchJob,
  delivery: DeliveryContext,
  firingKey: string,
): Promise<DispatchOutcome> {
  const queued = (summary: FanOutSummary, reason: string): DispatchOutcome => ({
    kind: "queued",
    job,
    idempotencyKey: firingKey,
    count: summary.size,
    reason,
  });
  const claim = await ctx.claims.claim<FanOutSummary>(
    ClaimedWork.FanOut,
    firingKey,
    fanOutOf(job),
    CLAIM_LEASE_MS,
  );
  if (claim.kind === "unavailable") return failedExpansion(ctx, job, firingKey, claim.error);
  if (claim.kind === "collision") {
    const failure = new PermanentDispatchError(
      `idempotency key "${firingKey}" was already used for a different fan-out, so this job is not suppressed as its duplicate; give it an idempotency_key of its own and redrive it`,
    );
    return { kind: "parked", job, idempotencyKey: firingKey, failure };
  }
  if (claim.kind === "completed") {
    ctx.telemetry.metrics.addMetric(FanOutMetricName.DuplicatesSuppressed, MetricUnit.Count, 1);
    return queued(claim.result, "duplicate suppressed: this firing was already expanded");
  }
  if (claim.kind === "in_progress") {
    const until = ctx.clock.now() + IN_PROGRESS_WAIT_MS;
    return deferJob(
      ctx,
      job,
      firingKey,
      delivery,
      until,
      "a copy of this fan-out is being expanded right now",
    );
  }
  try {
    const summary = await expandAndEnqueue(ctx, job, delivery, firingKey);
    await claim.complete(summary);
    return queued(summary, "fan-out expanded");
  } catch (error) {
    await claim.release();
    return failedExpansion(ctx, job, firingKey, error);
  }
}

/** Runs a job with `targets`: parked when nothing identifies its firing, else expanded once. */
export async function runFanOutJob(
  ctx: DispatchContext,
  job: FanOutDispatchJob,
  delivery: DeliveryContext,
): Promise<DispatchOutcome> {
  const started = performance.now();
  const firingKey = idempotencyKey(job, delivery.identity);
  let outcome: DispatchOutcome;
  if (firingKey === undefined) {
    const failure = new PermanentDispatchError(
      "fan-out job carries nothing to derive its targets' idempotency keys from; give it an idempotency_key",
    );
    outcome = { kind: "parked", job, idempotencyKey: undefined, failure };
  } else {
    outcome = await expandOnce(ctx, job, delivery, firingKey);
  }
  logOutcome(ctx.telemetry.logger, outcome, delivery, Math.round(performance.now() - started));
  return outcome;
}
