import type { MessageAttributeValue } from "@aws-sdk/client-sqs";

/** One message to send. */
export interface OutgoingMessage {
  /** The message body (a job as JSON). */
  readonly body: string;
  /** Seconds before the message can be received (0-900). @default the queue's delay */
  readonly delaySeconds?: number;
  readonly attributes?: Readonly<Record<string, MessageAttributeValue>>;
}

/** Most entries SendMessageBatch accepts. */
const MAX_BATCH_ENTRIES = 10;
/** Most bytes one SQS send (a batch in total) may carry: 256 KiB. */
export const MAX_BATCH_BYTES = 262_144;

/** Bytes SQS counts for one message: body plus each attribute's name, type and value. */
export function messageSize(message: OutgoingMessage): number {
  let size = Buffer.byteLength(message.body);
  for (const [name, value] of Object.entries(message.attributes ?? {})) {
    size += Buffer.byteLength(name) + Buffer.byteLength(value.DataType ?? "");
    size += Buffer.byteLength(value.StringValue ?? "") + (value.BinaryValue?.byteLength ?? 0);
  }
  return size;
}

/** The batches to send, and messages too large to send at all (by index). */
export interface MessageBatches {
  /** Indexes into the input, at most `maxEntries` and `maxBytes` per batch, in input order. */
  readonly batches: number[][];
  readonly tooLarge: number[];
}

/** Splits messages into batches within both SQS limits, keeping order. Pure. */
export function planMessageBatches(
  messages: readonly OutgoingMessage[],
  maxEntries = MAX_BATCH_ENTRIES,
  maxBytes = MAX_BATCH_BYTES,
): MessageBatches {
  const batches: number[][] = [];
  const tooLarge: number[] = [];
  let current: number[] = [];
  let bytes = 0;
  messages.forEach((message, index) => {
    const size = messageSize(message);
    if (size > maxBytes) {
      tooLarge.push(index);
      return;
    }
    if (current.length === maxEntries || bytes + size > maxBytes) {
      batches.push(current);
      current = [];
      bytes = 0;
    }
    current.push(index);
    bytes += size;
  });
  if (current.length > 0) batches.push(current);
  return { batches, tooLarge };
}
