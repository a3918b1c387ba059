import { MetricUnit } from "@aws-lambda-powertools/metrics";
import type { SQSClient } from "@aws-sdk/client-sqs";
import type { Dispatcher } from "../create-dispatcher.js";
import { PermanentDispatchError, RetryableDispatchError } from "../errors.js";
import { deferJob } from "../guard/defer-job.js";
import { type DispatchIdempotency, GuardedWork } from "../idempotency/dispatch-idempotency.js";
import type { FanOutDispatchJob } from "../job/dispatch-job.js";
import { idempotencyKey } from "../job/idempotency-key.js";
import { MAX_SQS_DELAY_SECONDS } from "../outcome/retry-delay.js";
import type { DispatchPacer } from "../pacing/dispatch-pacer.js";
import { logOutcome } from "../process/log-outcome.js";
import { safeErrorFields } from "../process/park-job.js";
import type { DeliveryContext, DispatchOutcome, FanOut } from "../process/types.js";
import { enqueueJobs } from "../queue/enqueue-jobs.js";
import type { OutgoingMessage } from "../queue/plan-message-batches.js";
import { expandFanOutJob, type FanOutExpansion } from "./expand-fan-out-job.js";
import { FanOutMetricName } from "./fan-out-metric-name.js";
import { parkRefusedTargets } from "./park-refused-targets.js";
import { resolveFanOutTargets } from "./resolve-fan-out-targets.js";

/** What fan-out uses besides the dispatcher. */
export interface FanOutParts {
  /** Sends the single jobs to `DISPATCH_QUEUE_URL`. */
  readonly sqs: SQSClient;
  /** Expands each firing once. @default none: a repeated firing expands again (its targets still dedupe when idempotency guards dispatch) */
  readonly idempotency?: DispatchIdempotency;
  /** Spreads the single jobs along the token's free slots (`DelaySeconds` and `not_before`). @default none */
  readonly pacer?: DispatchPacer;
  /** Workflow-file checks in flight at once for `require_workflow_file`. @default 8 */
  readonly listConcurrency?: number;
}

/** What one expansion did, stored as the firing's idempotency result. */
export interface FanOutSummary {
  readonly size: number;
  readonly refused: number;
  readonly repeated: number;
  /** Repositories GitHub listed for a selection, before filtering. */
  readonly listed?: number;
}

async function messagesFor(
  d: Dispatcher,
  parts: FanOutParts,
  expansion: FanOutExpansion,
  secretId: string,
): Promise<OutgoingMessage[]> {
  if (!parts.pacer || expansion.jobs.length === 0) {
    return expansion.jobs.map((child) => ({ body: JSON.stringify(child) }));
  }
  const places = await parts.pacer.book(secretId, expansion.jobs.length);
  const now = d.now();
  return expansion.jobs.map((child, i) => {
    const place = places[i] ?? now;
    return {
      body: JSON.stringify(child),
      delaySeconds: Math.min(MAX_SQS_DELAY_SECONDS, Math.max(0, Math.floor((place - now) / 1000))),
      attributes: {
        not_before: { DataType: "Number", StringValue: String(place) },
        paced_since: { DataType: "Number", StringValue: String(now) },
      },
    };
  });
}

async function expandAndEnqueue(
  d: Dispatcher,
  parts: FanOutParts,
  job: FanOutDispatchJob,
  delivery: DeliveryContext,
  firingKey: string,
): Promise<FanOutSummary> {
  const secretId = job.token_secret ?? d.config.defaultTokenSecret;
  const { targets, selection } = await resolveFanOutTargets(
    d,
    job,
    secretId,
    parts.listConcurrency,
  );
  const expansion = expandFanOutJob(job, targets, {
    firingKey,
    allowlist: d.config.allowlist,
    maxInputs: d.config.maxInputs,
  });
  const queueUrl = d.config.dispatchQueueUrl;
  if (!queueUrl) throw new Error("DISPATCH_QUEUE_URL: not set; set it to the stack's queue URL");
  const sent = await enqueueJobs(await messagesFor(d, parts, expansion, secretId), {
    sqs: parts.sqs,
    queueUrl,
  });
  if (sent.unsent.length > 0) {
    throw new RetryableDispatchError(
      `could not queue ${sent.unsent.length} of ${expansion.jobs.length} targets of the fan-out (${sent.unsent[0]?.reason}); it is expanded again later and targets already queued are not dispatched twice`,
    );
  }
  await parkRefusedTargets(d, expansion, job, delivery);
  const summary: FanOutSummary = {
    size: expansion.jobs.length,
    refused: expansion.refused.length,
    repeated: expansion.repeated.length,
    ...(selection ? { listed: selection.listed } : {}),
  };
  d.telemetry.metrics.addMetric(FanOutMetricName.FanOutSize, MetricUnit.Count, summary.size);
  d.telemetry.metrics.addMetric(FanOutMetricName.FanOutRefused, MetricUnit.Count, summary.refused);
  d.telemetry.logger.info("fan-out expanded", {
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

/**
 * Builds the fan-out seam: a job with `targets` is resolved (an explicit list, or the repositories a
 * selection names when the job fires), expanded into single jobs each keyed by the firing and the
 * target, and queued with SendMessageBatch, each booked a place in the token's line. Refused
 * targets are parked with their reason. A firing is expanded once: a repeat is suppressed, a
 * concurrent copy waits, a failed expansion is retried whole (targets already queued dedupe).
 */
export function createFanOut(d: Dispatcher, parts: FanOutParts): FanOut {
  return async (job, delivery) => {
    const started = performance.now();
    const firingKey = idempotencyKey(job, delivery.identity);
    let outcome: DispatchOutcome;
    if (firingKey === undefined) {
      const failure = new PermanentDispatchError(
        "fan-out job carries nothing to derive its targets' idempotency keys from; give it an idempotency_key",
      );
      outcome = { kind: "parked", job, idempotencyKey: undefined, failure };
    } else {
      outcome = await expandOnce(d, parts, job, delivery, firingKey);
    }
    logOutcome(d.telemetry.logger, outcome, delivery, Math.round(performance.now() - started));
    return outcome;
  };
}

async function expandOnce(
  d: Dispatcher,
  parts: FanOutParts,
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
  const expand = () => expandAndEnqueue(d, parts, job, delivery, firingKey);
  try {
    if (!parts.idempotency) return queued(await expand(), "fan-out expanded");
    const once = await parts.idempotency.once(GuardedWork.FanOut, firingKey, expand);
    if (once.kind === "first") return queued(once.value, "fan-out expanded");
    if (once.state === "completed") {
      d.telemetry.metrics.addMetric(FanOutMetricName.DuplicatesSuppressed, MetricUnit.Count, 1);
      return queued(once.value, "duplicate suppressed: this firing was already expanded");
    }
    return deferJob(
      d,
      job,
      firingKey,
      delivery,
      d.now() + 30_000,
      "a copy of this fan-out is being expanded right now",
    );
  } catch (error) {
    if (error instanceof RetryableDispatchError)
      return { kind: "retry", job, idempotencyKey: firingKey, failure: error };
    if (error instanceof PermanentDispatchError)
      return { kind: "parked", job, idempotencyKey: firingKey, failure: error };
    const name = error instanceof Error ? error.name : "Error";
    d.telemetry.logger.warn("fan-out failed; retrying it later", safeErrorFields(error));
    const failure = new RetryableDispatchError(
      `fan-out expansion failed (${name}); retrying later`,
      { cause: error },
    );
    return { kind: "retry", job, idempotencyKey: firingKey, failure };
  }
}
