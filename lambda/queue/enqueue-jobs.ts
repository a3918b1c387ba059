import { SendMessageBatchCommand, type SQSClient } from "@aws-sdk/client-sqs";
import pLimit from "p-limit";
import { type OutgoingMessage, planMessageBatches } from "./plan-message-batches.js";

/** Options of {@link enqueueJobs}. */
export interface EnqueueOptions {
  readonly sqs: SQSClient;
  readonly queueUrl: string;
  /** Sends of one entry, the first included, before it is given up. @default 4 */
  readonly maxAttempts?: number;
  /** Wait before the first re-send of failed entries, ms; doubled each time, with jitter. @default 200 */
  readonly backoffMs?: number;
  /** Batches in flight at once. @default 4 */
  readonly concurrency?: number;
  /** Bytes per batch. @default 262144 (256 KiB) */
  readonly maxBatchBytes?: number;
  /** How to wait between attempts. @default setTimeout */
  readonly sleep?: (ms: number) => Promise<void>;
  /** Jitter source in [0, 1). @default Math.random */
  readonly random?: () => number;
}

/** A message that could not be sent, and the last reason. */
interface UnsentMessage {
  /** Its index in the input. */
  readonly index: number;
  readonly message: OutgoingMessage;
  readonly reason: string;
}

/** What {@link enqueueJobs} achieved. */
export interface EnqueueResult {
  readonly sent: number;
  readonly unsent: UnsentMessage[];
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/**
 * Sends messages to a queue with SendMessageBatch: at most 10 entries and 256 KiB a call. Entries SQS
 * reports as Failed through no fault of the sender, and whole calls that fail, are sent again (only
 * those entries) a few times with backoff; entries failed by the sender's fault, messages larger than
 * a batch, and entries still failing at the end come back as `unsent` with the reason. Never throws
 * for a send failure.
 */
export async function enqueueJobs(
  messages: readonly OutgoingMessage[],
  options: EnqueueOptions,
): Promise<EnqueueResult> {
  const maxAttempts = options.maxAttempts ?? 4;
  const sleep = options.sleep ?? defaultSleep;
  const random = options.random ?? Math.random;
  const { batches, tooLarge } = planMessageBatches(messages, 10, options.maxBatchBytes);
  const unsent: UnsentMessage[] = tooLarge.map((index) => ({
    index,
    message: messages[index] as OutgoingMessage,
    reason: `message is larger than ${options.maxBatchBytes ?? 262_144} bytes, the most SQS accepts`,
  }));
  let sent = 0;

  const sendBatch = async (batch: number[]): Promise<void> => {
    let pending = batch;
    const reasons = new Map<number, string>();
    for (let attempt = 1; pending.length > 0 && attempt <= maxAttempts; attempt++) {
      if (attempt > 1)
        await sleep((options.backoffMs ?? 200) * 2 ** (attempt - 2) * (0.5 + random()));
      try {
        const result = await options.sqs.send(
          new SendMessageBatchCommand({
            QueueUrl: options.queueUrl,
            Entries: pending.map((index) => {
              const m = messages[index] as OutgoingMessage;
              return {
                Id: `m${index}`,
                MessageBody: m.body,
                ...(m.delaySeconds === undefined ? {} : { DelaySeconds: m.delaySeconds }),
                ...(m.attributes === undefined ? {} : { MessageAttributes: { ...m.attributes } }),
              };
            }),
          }),
        );
        sent += result.Successful?.length ?? 0;
        const retry: number[] = [];
        for (const failed of result.Failed ?? []) {
          const index = Number(failed.Id?.slice(1));
          const reason = `${failed.Code ?? "Failed"}: ${failed.Message ?? "no message"}`;
          if (failed.SenderFault)
            unsent.push({ index, message: messages[index] as OutgoingMessage, reason });
          else {
            reasons.set(index, reason);
            retry.push(index);
          }
        }
        pending = retry;
      } catch (error) {
        for (const index of pending) reasons.set(index, describe(error));
      }
    }
    for (const index of pending) {
      unsent.push({
        index,
        message: messages[index] as OutgoingMessage,
        reason: `${reasons.get(index) ?? "not sent"} (gave up after ${maxAttempts} attempts)`,
      });
    }
  };

  const limit = pLimit(options.concurrency ?? 4);
  await Promise.all(batches.map((batch) => limit(() => sendBatch(batch))));
  unsent.sort((a, b) => a.index - b.index);
  return { sent, unsent };
}
