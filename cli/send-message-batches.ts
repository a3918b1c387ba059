import { SendMessageBatchCommand, type SQSClient } from "@aws-sdk/client-sqs";
import pLimit from "p-limit";
import {
  MAX_BATCH_BYTES,
  messageSize,
  planMessageBatches,
} from "../lambda/queue/plan-message-batches.js";

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

/**
 * Sends messages with SendMessageBatch, a few batches at a time, recording each entry SQS accepted or
 * refused in `report`. A message larger than one send may carry is not sent: it fails alone, with its
 * size and the limit. `onBatch` is told how many messages each finished batch held. A failure of a
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
  // The function's own planner, so the CLI and the function split and count messages alike.
  const { batches, tooLarge } = planMessageBatches(messages);
  for (const index of tooLarge) {
    const message = messages[index] as OutgoingMessage;
    report.failed.push({
      location: message.location,
      reason: `message is ${messageSize(message)} bytes; SQS accepts at most ${MAX_BATCH_BYTES}`,
    });
  }
  const limit = pLimit(concurrency);
  await Promise.all(
    batches.map((indexes) =>
      limit(async () => {
        const batch = indexes.map((index) => messages[index] as OutgoingMessage);
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
