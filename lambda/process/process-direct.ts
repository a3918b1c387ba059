import type { Context } from "aws-lambda";
import { detectEventShape, EventSource, isEventBridgeEvent } from "../events/detect-event-shape.js";
import { redactSecrets } from "../observability/redact-secrets.js";
import { InvalidJobError } from "../outcome/errors.js";
import {
  type InvocationDeadline,
  MIN_DISPATCH_WINDOW_MS,
  mayStartDispatch,
  NO_DEADLINE,
} from "../outcome/invocation-deadline.js";
import { MAX_SQS_DELAY_SECONDS } from "../outcome/retry-delay.js";
import type { DispatchContext } from "./dispatch-context.js";
import { handToQueue } from "./hand-to-queue.js";
import { parkJob } from "./park-job.js";
import { jobFields, safeErrorFields } from "./record-outcome.js";
import { retryLater } from "./retry-later.js";
import { invalidJobOutcome, runJob } from "./run-job.js";
import type { DeliveryContext, DispatchOutcome } from "./types.js";

/** What a direct invocation (Scheduler or EventBridge) returns. */
export type DirectResult =
  | {
      readonly outcome: "dispatched";
      readonly status: number;
      readonly workflow_run_id?: number | string;
      readonly run_url?: string;
      readonly html_url?: string;
      readonly idempotency_key?: string;
    }
  | {
      readonly outcome: "retry_scheduled";
      readonly failure_class: string;
      readonly reason: string;
      readonly delay_seconds: number;
      readonly attempt: number;
    }
  | { readonly outcome: "parked"; readonly failure_class: string; readonly reason: string }
  | {
      /** A fan-out expanded into `jobs` queued single jobs, or a job deferred to its pacing slot. */
      readonly outcome: "queued";
      readonly jobs: number;
      readonly reason: string;
      readonly not_before?: string;
      readonly idempotency_key?: string;
    };

/** Why a job was handed to the queue rather than dispatched: the invocation's deadline was near. */
const NO_TIME_TO_DISPATCH = `less than ${MIN_DISPATCH_WINDOW_MS} ms left before the invocation's deadline; handed to the dispatch queue`;

async function outcomeOf(
  ctx: DispatchContext,
  event: unknown,
  context: Context | undefined,
  deadline: InvocationDeadline,
) {
  const source = isEventBridgeEvent(event) ? EventSource.EventBridge : EventSource.Scheduler;
  const identity = { lambdaRequestId: context?.awsRequestId };
  try {
    const shape = detectEventShape(event);
    if (shape.kind === EventSource.Sqs) throw new Error("SQS batches go to processSqsBatch");
    const eventId = shape.kind === EventSource.EventBridge ? shape.eventId : undefined;
    const delivery: DeliveryContext = {
      source,
      attempt: 1,
      identity: {
        lambdaRequestId: identity.lambdaRequestId,
        eventBridgeEventId: eventId,
        // Anyone allowed to put events on the bus can write an EventBridge event: a producer.
        fromProducer: shape.kind === EventSource.EventBridge,
      },
      deadline,
    };
    if (!mayStartDispatch(deadline, performance.now())) {
      return {
        delivery,
        outcome: await handToQueue(ctx, shape.job, delivery, NO_TIME_TO_DISPATCH),
      };
    }
    return { delivery, outcome: await runJob(ctx, shape.job, delivery) };
  } catch (error) {
    if (!(error instanceof InvalidJobError)) throw error;
    const delivery: DeliveryContext = { source, attempt: 1, identity };
    return { delivery, outcome: invalidJobOutcome(ctx, error, delivery) };
  }
}

async function requeue(
  ctx: DispatchContext,
  outcome: Extract<DispatchOutcome, { kind: "retry" }>,
  delivery: DeliveryContext,
): Promise<DirectResult> {
  // The key travels with the job, so the queued copy dedupes like the original firing.
  const job = {
    ...outcome.job,
    idempotency_key: outcome.job.idempotency_key ?? outcome.idempotencyKey,
  };
  const fields = { ...jobFields(job), attempt: delivery.attempt, source: delivery.source };
  const delay = await retryLater(ctx, outcome, delivery, {
    limitSeconds: MAX_SQS_DELAY_SECONDS,
    fields,
    logMessage: "retry queued",
    handBack: async (seconds) => {
      try {
        await ctx.queue.retryLater(job, seconds, delivery.attempt + 1);
      } catch (error) {
        ctx.telemetry.logger.error(
          "could not hand the retry to the dispatch queue; failing the invocation",
          { ...fields, ...safeErrorFields(error) },
        );
        throw error;
      }
    },
  });
  return {
    outcome: "retry_scheduled",
    failure_class: outcome.failure.failureClass,
    reason: redactSecrets(outcome.failure.message),
    delay_seconds: delay,
    attempt: delivery.attempt,
  };
}

/**
 * Handles a Scheduler direct invoke or an EventBridge event: dispatched -> the run details; retryable ->
 * handed to `DISPATCH_QUEUE_URL` with a delay (the queue owns every retry); permanent or malformed ->
 * parked in the dead-letter queue. With too little time left before `deadline`, the job is handed to
 * the queue undelayed instead (outcome `queued`). Throws only when a queue cannot be written, so
 * Lambda's own async retry and failure destination take over.
 */
export async function processDirect(
  ctx: DispatchContext,
  event: unknown,
  context?: Context,
  deadline: InvocationDeadline = NO_DEADLINE,
): Promise<DirectResult> {
  const { delivery, outcome } = await outcomeOf(ctx, event, context, deadline);
  if (outcome.kind === "dispatched") {
    const [result] = outcome.results;
    return {
      outcome: "dispatched",
      status: result?.status ?? 204,
      workflow_run_id: result?.runId,
      run_url: result?.runUrl,
      html_url: result?.htmlUrl,
      idempotency_key: outcome.idempotencyKey,
    };
  }
  if (outcome.kind === "queued") {
    return {
      outcome: "queued",
      jobs: outcome.count,
      reason: outcome.reason,
      not_before:
        outcome.untilMs === undefined ? undefined : new Date(outcome.untilMs).toISOString(),
      idempotency_key: outcome.idempotencyKey,
    };
  }
  if (outcome.kind === "retry" && delivery.attempt < ctx.config.maxAttempts) {
    return requeue(ctx, outcome, delivery);
  }
  const parked = await parkJob(ctx, JSON.stringify(event), outcome, delivery);
  return { outcome: "parked", failure_class: parked.failureClass, reason: parked.reason };
}
