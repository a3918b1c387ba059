import type { DispatchJob } from "./dispatch-job.js";

/** How a job was delivered, as far as deduplication cares. */
export interface DeliveryIdentity {
  /** SQS message id: stable across redeliveries of one message. */
  readonly sqsMessageId?: string;
  /** EventBridge event id. */
  readonly eventBridgeEventId?: string;
  /** Lambda request id: stable across Lambda's own retries of one async invocation. */
  readonly lambdaRequestId?: string;
}

/**
 * The key that recognises a duplicate by what the firing is, not how it was delivered. Pure.
 * The job's own `idempotency_key` wins; else Scheduler's `schedule_arn#scheduled_time` (the execution id
 * changes per delivery attempt, so it cannot dedupe); else the SQS message id; else the EventBridge
 * event id; else the Lambda request id. Undefined when nothing identifies the firing.
 */
export function idempotencyKey(job: DispatchJob, delivery: DeliveryIdentity): string | undefined {
  if (job.idempotency_key !== undefined) return job.idempotency_key;
  if (job.scheduler !== undefined) {
    return `${job.scheduler.schedule_arn}#${job.scheduler.scheduled_time}`;
  }
  return delivery.sqsMessageId ?? delivery.eventBridgeEventId ?? delivery.lambdaRequestId;
}
