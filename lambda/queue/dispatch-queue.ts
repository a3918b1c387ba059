import {
  ChangeMessageVisibilityCommand,
  type MessageAttributeValue,
  SendMessageCommand,
  type SQSClient,
} from "@aws-sdk/client-sqs";
import type { EventSource } from "../events/detect-event-shape.js";
import type { DispatchJob } from "../job/dispatch-job.js";

/** Why a job was parked, recorded as message attributes next to the body as received. */
export interface ParkedFailure {
  readonly reason: string;
  /** `permanent`, or the retryable class a job gave up in. */
  readonly failureClass: string;
  readonly errorName: string;
  /** HTTP status from GitHub or AWS; 0 for none. */
  readonly status: number;
  readonly source: EventSource;
  readonly repository?: string;
  readonly workflowId?: string | number;
  readonly attempts: number;
  readonly failedAt: Date;
}

/** Options of {@link DispatchQueue}. */
export interface DispatchQueueOptions {
  readonly sqs: SQSClient;
  /** `DISPATCH_QUEUE_URL`: retries go here. */
  readonly dispatchQueueUrl: string | undefined;
  /** `DEAD_LETTER_QUEUE_URL`: permanent failures go here. */
  readonly deadLetterQueueUrl: string | undefined;
}

/** Longest reason kept in an attribute; GitHub messages can be long, the whole message is 256 KiB. */
const MAX_REASON_LENGTH = 2000;

function required(url: string | undefined, variable: string): string {
  if (!url) throw new Error(`${variable}: not set; set it to the stack's queue URL`);
  return url;
}

function attributes(
  values: Record<string, string | number | undefined>,
): Record<string, MessageAttributeValue> {
  const out: Record<string, MessageAttributeValue> = {};
  for (const [name, value] of Object.entries(values)) {
    // SQS rejects empty attribute values: leave unknown fields out.
    if (value === undefined || value === "") continue;
    out[name] =
      typeof value === "number"
        ? { DataType: "Number", StringValue: String(value) }
        : { DataType: "String", StringValue: value };
  }
  return out;
}

/** The stack's two queues, as the dispatcher uses them: retry later, park, delay a received message. */
export class DispatchQueue {
  constructor(private readonly options: DispatchQueueOptions) {}

  /**
   * Sends `job` back to the dispatch queue, delivered after `delaySeconds` (at most 900), as attempt
   * `attempt`; `extra` attributes travel with it (e.g. `not_before`, a pacing slot in epoch ms).
   */
  async retryLater(
    job: DispatchJob,
    delaySeconds: number,
    attempt: number,
    extra: Record<string, string | number | undefined> = {},
  ): Promise<void> {
    await this.options.sqs.send(
      new SendMessageCommand({
        QueueUrl: required(this.options.dispatchQueueUrl, "DISPATCH_QUEUE_URL"),
        MessageBody: JSON.stringify(job),
        DelaySeconds: delaySeconds,
        MessageAttributes: attributes({ ...extra, attempt }),
      }),
    );
  }

  /** Writes the original body, exactly as received, to the dead-letter queue with why it failed. */
  async parkInDeadLetterQueue(originalBody: string, failure: ParkedFailure): Promise<void> {
    await this.options.sqs.send(
      new SendMessageCommand({
        QueueUrl: required(this.options.deadLetterQueueUrl, "DEAD_LETTER_QUEUE_URL"),
        MessageBody: originalBody,
        MessageAttributes: attributes({
          reason: failure.reason.slice(0, MAX_REASON_LENGTH),
          failure_class: failure.failureClass,
          error_name: failure.errorName,
          status: failure.status,
          source: failure.source,
          repository: failure.repository,
          workflow_id: failure.workflowId === undefined ? undefined : String(failure.workflowId),
          attempts: failure.attempts,
          failed_at: failure.failedAt.toISOString(),
        }),
      }),
    );
  }

  /** Hides a received dispatch-queue message for `seconds` (at most 43200): its next delivery is the retry. */
  async delayMessage(receiptHandle: string, seconds: number): Promise<void> {
    await this.options.sqs.send(
      new ChangeMessageVisibilityCommand({
        QueueUrl: required(this.options.dispatchQueueUrl, "DISPATCH_QUEUE_URL"),
        ReceiptHandle: receiptHandle,
        VisibilityTimeout: seconds,
      }),
    );
  }
}
