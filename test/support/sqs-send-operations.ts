import { defaultSqsMessage, type SqsErrorAnswer, sqsError } from "./sqs-errors.js";
import { md5OfMessageAttributes, md5OfMessageBody } from "./sqs-md5.js";
import { type SqsMessageInput, validateMessage } from "./sqs-message-rules.js";
import {
  entriesOf,
  failedEntry,
  ok,
  type SqsAnswer,
  type SqsInput,
  type SqsOperationContext,
} from "./sqs-operation.js";
import type { SqsQueue } from "./sqs-queue.js";

const MAX_BATCH_ENTRIES = 10;

/** Stores a validated message and returns its id and SQS's digests. */
function store(queue: SqsQueue, message: SqsMessageInput, senderId: string | undefined) {
  const stored = queue.send(
    message.MessageBody,
    message.MessageAttributes ?? {},
    message.DelaySeconds ?? 0,
    senderId,
  );
  const md5Attributes = md5OfMessageAttributes(stored.attributes);
  return {
    MessageId: stored.messageId,
    MD5OfMessageBody: md5OfMessageBody(stored.body),
    ...(md5Attributes ? { MD5OfMessageAttributes: md5Attributes } : {}),
  };
}

/** `SendMessage`: validates, stores, answers `MessageId`, `MD5OfMessageBody`, `MD5OfMessageAttributes`. */
export function sendMessage(queue: SqsQueue, input: SqsInput, context: SqsOperationContext) {
  const checked = validateMessage(input, context.maxMessageBytes);
  return "error" in checked ? checked.error : ok(store(queue, checked.message, context.senderId));
}

function batchError(entries: SqsInput[], maxBytes: number): SqsErrorAnswer | undefined {
  if (entries.length === 0) {
    return sqsError(
      "AWS.SimpleQueueService.EmptyBatchRequest",
      "There should be at least one SendMessageBatchRequestEntry in the request.",
    );
  }
  if (entries.length > MAX_BATCH_ENTRIES) {
    return sqsError(
      "AWS.SimpleQueueService.TooManyEntriesInBatchRequest",
      `Maximum number of entries per request are ${MAX_BATCH_ENTRIES}. You have sent ${entries.length}.`,
    );
  }
  const ids = entries.map((e) => String(e.Id));
  const duplicate = ids.find((id, i) => ids.indexOf(id) !== i);
  if (duplicate !== undefined) {
    return sqsError("AWS.SimpleQueueService.BatchEntryIdsNotDistinct", `Id ${duplicate} repeated.`);
  }
  const bytes = entries.reduce((sum, e) => sum + Buffer.byteLength(String(e.MessageBody ?? "")), 0);
  if (bytes > maxBytes) {
    return sqsError(
      "AWS.SimpleQueueService.BatchRequestTooLong",
      `Batch requests cannot be longer than ${maxBytes} bytes. You have sent ${bytes} bytes.`,
    );
  }
  return undefined;
}

/**
 * `SendMessageBatch`: request-level errors as SQS raises them (empty, more than 10, repeated ids,
 * too long); per-entry problems and injected entry failures come back in `Failed[]`.
 */
export function sendMessageBatch(
  queue: SqsQueue,
  input: SqsInput,
  context: SqsOperationContext,
): SqsAnswer {
  const entries = entriesOf(input);
  const error = batchError(entries, context.maxMessageBytes);
  if (error) return error;
  const Successful: unknown[] = [];
  const Failed: unknown[] = [];
  for (const entry of entries) {
    const id = String(entry.Id);
    if (context.failingEntryIds.delete(id)) {
      const injected = sqsError("InternalError", defaultSqsMessage("InternalError"), 500);
      Failed.push(failedEntry(id, injected, false));
      continue;
    }
    const checked = validateMessage(entry, context.maxMessageBytes);
    if ("error" in checked) Failed.push(failedEntry(id, checked.error));
    else Successful.push({ Id: id, ...store(queue, checked.message, context.senderId) });
  }
  return ok({ Successful, Failed });
}
