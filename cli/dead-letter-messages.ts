import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageBatchCommand,
  type Message,
  ReceiveMessageCommand,
  type SQSClient,
} from "@aws-sdk/client-sqs";

/** A message as read from the dead-letter queue; `classifyDeadLetter` says what it holds. */
export interface DeadLetterMessage {
  readonly messageId: string;
  readonly receiptHandle: string;
  /** The message body as SQS holds it: a job, or Lambda's destination record wrapping one. */
  readonly body: string;
  /**
   * String message attributes: those the function wrote (reason, failure_class, repository, failed_at ...)
   * or EventBridge Scheduler's (ERROR_CODE, SCHEDULE_ARN ...).
   */
  readonly attributes: Readonly<Record<string, string>>;
  /** How often SQS has handed the message out, this read included. */
  readonly receiveCount: number;
  /** When the message reached the queue (ISO 8601), from SQS's `SentTimestamp`. */
  readonly sentAt?: string;
}

/** How to read the queue. */
export interface ReadOptions {
  /** Seconds the read messages stay hidden from other readers. */
  readonly visibilityTimeout: number;
  /** Stop after this many messages. */
  readonly max: number;
  /** Long-poll seconds per receive, so a nearly empty queue is read completely. */
  readonly waitSeconds: number;
}

function toDeadLetterMessage(message: Message): DeadLetterMessage {
  const attributes: Record<string, string> = {};
  const sentAt = Number(message.Attributes?.SentTimestamp);
  for (const [key, value] of Object.entries(message.MessageAttributes ?? {})) {
    if (value.StringValue !== undefined) attributes[key] = value.StringValue;
  }
  return {
    messageId: message.MessageId ?? "",
    receiptHandle: message.ReceiptHandle ?? "",
    body: message.Body ?? "",
    attributes,
    receiveCount: Number(message.Attributes?.ApproximateReceiveCount ?? 1),
    sentAt: Number.isFinite(sentAt) && sentAt > 0 ? new Date(sentAt).toISOString() : undefined,
  };
}

/**
 * Receives messages until the queue answers empty, repeats itself, or `max` is reached. Every message
 * read stays hidden for `visibilityTimeout` seconds; hand it back with {@link releaseMessages} or
 * remove it with {@link deleteMessages}.
 */
export async function receiveMessages(
  sqs: SQSClient,
  queueUrl: string,
  options: ReadOptions,
): Promise<DeadLetterMessage[]> {
  const seen = new Map<string, DeadLetterMessage>();
  while (seen.size < options.max) {
    const response = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: Math.min(10, options.max - seen.size),
        VisibilityTimeout: options.visibilityTimeout,
        WaitTimeSeconds: options.waitSeconds,
        MessageAttributeNames: ["All"],
        MessageSystemAttributeNames: ["ApproximateReceiveCount", "SentTimestamp"],
      }),
    );
    const fresh = (response.Messages ?? [])
      .map(toDeadLetterMessage)
      .filter((message) => !seen.has(message.messageId));
    if (fresh.length === 0) break;
    for (const message of fresh) seen.set(message.messageId, message);
  }
  return [...seen.values()];
}

/** SQS's most entries per batch call. */
const BATCH_ENTRIES = 10;

/**
 * Calls `send` with the messages in batches of {@link BATCH_ENTRIES} entries, each entry's `Id` its
 * index in the batch, and returns the ids of the messages SQS refused.
 */
async function inBatches(
  messages: readonly DeadLetterMessage[],
  send: (batch: readonly DeadLetterMessage[]) => Promise<{ Failed?: { Id?: string }[] }>,
): Promise<string[]> {
  const refused: string[] = [];
  for (let start = 0; start < messages.length; start += BATCH_ENTRIES) {
    const batch = messages.slice(start, start + BATCH_ENTRIES);
    const response = await send(batch);
    for (const failed of response.Failed ?? [])
      refused.push(batch[Number(failed.Id)]?.messageId ?? "");
  }
  return refused;
}

/** Makes the messages visible again at once (visibility timeout 0). Returns the ids SQS refused. */
export function releaseMessages(
  sqs: SQSClient,
  queueUrl: string,
  messages: readonly DeadLetterMessage[],
): Promise<string[]> {
  return inBatches(messages, (batch) =>
    sqs.send(
      new ChangeMessageVisibilityBatchCommand({
        QueueUrl: queueUrl,
        Entries: batch.map((m, i) => ({
          Id: String(i),
          ReceiptHandle: m.receiptHandle,
          VisibilityTimeout: 0,
        })),
      }),
    ),
  );
}

/** Deletes the messages. Returns the ids SQS could not delete (they reappear after their timeout). */
export function deleteMessages(
  sqs: SQSClient,
  queueUrl: string,
  messages: readonly DeadLetterMessage[],
): Promise<string[]> {
  return inBatches(messages, (batch) =>
    sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: batch.map((m, i) => ({ Id: String(i), ReceiptHandle: m.receiptHandle })),
      }),
    ),
  );
}
