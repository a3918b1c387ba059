import { BatchProcessor, EventType, processPartialResponse } from "@aws-lambda-powertools/batch";
import type { Context, SQSBatchResponse } from "aws-lambda";
import pLimit from "p-limit";
import { EventSource, type SqsRecord } from "../events/detect-event-shape.js";
import { unwrapSqsBody } from "../events/unwrap-sqs-body.js";
import { InvalidJobError } from "../outcome/errors.js";
import {
  type InvocationDeadline,
  mayStartDispatch,
  NO_DEADLINE,
  timeLeftMs,
} from "../outcome/invocation-deadline.js";
import { MAX_SQS_VISIBILITY_SECONDS } from "../outcome/retry-delay.js";
import type { DispatchContext } from "./dispatch-context.js";
import { parkJob } from "./park-job.js";
import { jobFields, safeErrorFields } from "./record-outcome.js";
import { retryLater } from "./retry-later.js";
import { invalidJobOutcome, runJob } from "./run-job.js";
import type { DeliveryContext, DispatchOutcome } from "./types.js";

/** Thrown for a record that must come back later; Powertools reports it in `batchItemFailures`. */
class RetryScheduledError extends Error {
  override readonly name = "RetryScheduledError";
}

/** Thrown for a record not started because the invocation's deadline is near; reported like a retry. */
class DeadlineNearError extends Error {
  override readonly name = "DeadlineNearError";
}

/** Attempts so far: the `attempt` attribute a re-queued job carries, plus this message's redeliveries. */
export function attemptOf(record: SqsRecord): number {
  const base = Number(record.messageAttributes?.attempt?.stringValue ?? 1);
  const received = Number(record.attributes?.ApproximateReceiveCount ?? 1);
  return Math.max(1, Number.isInteger(base) ? base : 1) + Math.max(0, (received || 1) - 1);
}

/**
 * Whether the function's own role sent `record`: SQS stamps every message with the sender's
 * principal (`SenderId`: the role's unique id, then `:` and the session name), which no producer can
 * set. Without a configured role id every sender is trusted, as before the stack set it.
 */
function sentBy(record: SqsRecord, roleId: string | undefined): boolean {
  if (roleId === undefined) return true;
  const sender = record.attributes?.SenderId ?? "";
  return sender === roleId || sender.startsWith(`${roleId}:`);
}

/** `{ attributes }` with the record's string-valued message attributes, or nothing when it has none. */
function stringAttributes(record: SqsRecord): { attributes?: Record<string, string> } {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(record.messageAttributes ?? {})) {
    if (value.stringValue !== undefined) out[name] = value.stringValue;
  }
  return Object.keys(out).length > 0 ? { attributes: out } : {};
}

async function outcomeOf(ctx: DispatchContext, record: SqsRecord, delivery: DeliveryContext) {
  try {
    return await runJob(ctx, unwrapSqsBody(record.body).job, delivery);
  } catch (error) {
    if (error instanceof InvalidJobError) return invalidJobOutcome(ctx, error, delivery);
    throw error;
  }
}

async function delayForRetry(
  ctx: DispatchContext,
  record: SqsRecord,
  outcome: Extract<DispatchOutcome, { kind: "retry" }>,
  delivery: DeliveryContext,
): Promise<never> {
  const fields = {
    ...jobFields(outcome.job),
    attempt: delivery.attempt,
    message_id: record.messageId,
  };
  const delay = await retryLater(ctx, outcome, delivery, {
    limitSeconds: MAX_SQS_VISIBILITY_SECONDS,
    fields,
    logMessage: "retry scheduled",
    handBack: async (seconds) => {
      try {
        await ctx.queue.delayMessage(record.receiptHandle, seconds);
      } catch (error) {
        // The message still comes back, after the queue's own visibility timeout.
        ctx.telemetry.logger.warn(
          "could not delay the message; it returns after the queue's visibility timeout",
          { ...fields, ...safeErrorFields(error) },
        );
      }
    },
  });
  throw new RetryScheduledError(`retry in ${delay} s`);
}

async function processRecord(
  ctx: DispatchContext,
  record: SqsRecord,
  deadline: InvocationDeadline,
): Promise<void> {
  const delivery: DeliveryContext = {
    source: EventSource.Sqs,
    attempt: attemptOf(record),
    identity: {
      sqsMessageId: record.messageId,
      fromProducer: !sentBy(record, ctx.config.functionRoleId),
    },
    ...stringAttributes(record),
    deadline,
  };
  const outcome = await outcomeOf(ctx, record, delivery);
  if (outcome.kind === "dispatched" || outcome.kind === "queued") return;
  if (outcome.kind === "retry" && delivery.attempt < ctx.config.maxAttempts) {
    await delayForRetry(ctx, record, outcome, delivery);
  }
  // Permanent, or out of attempts: park now, so SQS deletes the message; if parking fails it throws
  // and the message is reported failed, so nothing is lost.
  await parkJob(ctx, record.body, outcome, delivery);
}

/**
 * Leaves a record the invocation has no time to start for SQS to redeliver, untouched: it comes back
 * after the queue's visibility timeout, and was never sent, so it cannot duplicate a run.
 */
function leaveForRedelivery(
  ctx: DispatchContext,
  record: SqsRecord,
  deadline: InvocationDeadline,
): never {
  ctx.telemetry.logger.warn("deadline near: message not started, left for redelivery", {
    message_id: record.messageId,
    attempt: attemptOf(record),
    time_left_ms: Math.floor(timeLeftMs(deadline, performance.now())),
  });
  throw new DeadlineNearError("not started: the invocation's deadline is near");
}

async function processLogged(
  ctx: DispatchContext,
  record: SqsRecord,
  deadline: InvocationDeadline,
): Promise<void> {
  if (!mayStartDispatch(deadline, performance.now())) leaveForRedelivery(ctx, record, deadline);
  try {
    await processRecord(ctx, record, deadline);
  } catch (error) {
    if (!(error instanceof RetryScheduledError)) {
      ctx.telemetry.logger.error("message kept for redelivery", {
        message_id: record.messageId,
        ...safeErrorFields(error),
      });
    }
    throw error;
  }
}

/**
 * Dispatches the jobs of an SQS batch, at most `BATCH_CONCURRENCY` at once, and returns the partial
 * batch response: dispatched and parked messages are deleted by SQS; a retry is delayed with a
 * visibility change and reported in `batchItemFailures`, as is any message that could not be parked.
 * A message whose turn comes too close to `deadline` is not started, and reported in
 * `batchItemFailures` too; a dispatch under way ends by the deadline.
 */
export async function processSqsBatch(
  ctx: DispatchContext,
  records: readonly SqsRecord[],
  context?: Context,
  deadline: InvocationDeadline = NO_DEADLINE,
): Promise<SQSBatchResponse> {
  const limit = pLimit(ctx.config.batchConcurrency);
  const processor = new BatchProcessor(EventType.SQS);
  return processPartialResponse(
    { Records: [...records] },
    (record: SqsRecord) => limit(() => processLogged(ctx, record, deadline)),
    processor,
    { context, throwOnFullBatchFailure: false },
  );
}
