import { SendMessageBatchCommand, type SQSClient } from "@aws-sdk/client-sqs";
import pLimit from "p-limit";

/** SQS's limits for one SendMessageBatch call. */
export const SQS_BATCH_LIMITS = { entries: 10, bytes: 256 * 1024 } as const;

/** One message to send, with where it came from for the report. */
export interface OutgoingMessage {
  /** `jobs.ndjson:3`, `arguments` or the DLQ message id. */
  readonly location: string;
  readonly body: string;
}

/** What happened to each message; filled in as batches complete. */
export interface SendReport {
  readonly sent: { readonly location: string; readonly messageId: string }[];
  readonly failed: { readonly location: string; readonly reason: string }[];
}

/** Splits messages into batches of at most 10 entries and 256 KiB; a larger message fails alone. */
export function planBatches(
  messages: readonly OutgoingMessage[],
  report: SendReport,
): OutgoingMessage[][] {
  const batches: OutgoingMessage[][] = [];
  let current: OutgoingMessage[] = [];
  let bytes = 0;
  for (const message of messages) {
    const size = Buffer.byteLength(message.body, "utf8");
    if (size > SQS_BATCH_LIMITS.bytes) {
      report.failed.push({
        location: message.location,
        reason: `message is ${size} bytes; SQS accepts at most ${SQS_BATCH_LIMITS.bytes}`,
      });
      continue;
    }
    if (current.length === SQS_BATCH_LIMITS.entries || bytes + size > SQS_BATCH_LIMITS.bytes) {
      batches.push(current);
      current = [];
      bytes = 0;
    }
    current.push(message);
    bytes += size;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}

/**
 * Sends messages with SendMessageBatch, a few batches at a time, recording each entry SQS accepted or
 * refused in `report`. `onBatch` is told how many messages each finished batch held. A failure of a
 * whole call (network, credentials) rejects; `report` then holds what was sent before it.
 */
export async function sendMessageBatches(
  sqs: SQSClient,
  queueUrl: string,
  messages: readonly OutgoingMessage[],
  report: SendReport,
  onBatch: (count: number) => void = () => undefined,
  concurrency = 4,
): Promise<void> {
  const limit = pLimit(concurrency);
  const batches = planBatches(messages, report);
  await Promise.all(
    batches.map((batch) =>
      limit(async () => {
        const response = await sqs.send(
          new SendMessageBatchCommand({
            QueueUrl: queueUrl,
            Entries: batch.map((message, index) => ({
              Id: String(index),
              MessageBody: message.body,
            })),
          }),
        );
        for (const ok of response.Successful ?? []) {
          const message = batch[Number(ok.Id)];
          if (message)
            report.sent.push({ location: message.location, messageId: ok.MessageId ?? "" });
        }
        for (const bad of response.Failed ?? []) {
          const message = batch[Number(bad.Id)];
          if (message) {
            report.failed.push({
              location: message.location,
              reason: `${bad.Code ?? "Failed"}: ${bad.Message ?? "SQS refused the entry"}`,
            });
          }
        }
        onBatch(batch.length);
      }),
    ),
  );
}
