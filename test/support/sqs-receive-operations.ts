import { type SqsErrorAnswer, sqsError } from "./sqs-errors.js";
import { md5OfMessageAttributes, md5OfMessageBody } from "./sqs-md5.js";
import {
  entriesOf,
  failedEntry,
  ok,
  type SqsAnswer,
  type SqsInput,
  type SqsOperationContext,
} from "./sqs-operation.js";
import type { SqsQueue, StoredMessage } from "./sqs-queue.js";

const SYSTEM_ATTRIBUTES = [
  "ApproximateReceiveCount",
  "ApproximateFirstReceiveTimestamp",
  "SentTimestamp",
  "SenderId",
] as const;
const MAX_VISIBILITY_SECONDS = 43_200;

/** The string values of the given list-valued input keys. */
export function namesIn(input: SqsInput, ...keys: string[]): string[] {
  return keys.flatMap((key) => {
    const value = input[key];
    return Array.isArray(value) ? value.map(String) : [];
  });
}

/** True when `name` is selected by SQS-style names: `All`, `.*`, exact, or a `prefix.*`. */
export function isSelected(name: string, wanted: string[]): boolean {
  return wanted.some(
    (w) =>
      w === "All" ||
      w === ".*" ||
      w === name ||
      (w.endsWith(".*") && name.startsWith(w.slice(0, -1))),
  );
}

function describe(message: StoredMessage, systemNames: string[], attributeNames: string[]) {
  const system: Record<string, string> = {
    ApproximateReceiveCount: String(message.receiveCount),
    ApproximateFirstReceiveTimestamp: String(message.firstReceivedAt ?? message.sentAt),
    SentTimestamp: String(message.sentAt),
    SenderId: message.senderId,
  };
  const Attributes = Object.fromEntries(
    SYSTEM_ATTRIBUTES.filter((n) => isSelected(n, systemNames)).map((n) => [n, system[n]]),
  );
  const MessageAttributes = Object.fromEntries(
    Object.entries(message.attributes).filter(([n]) => isSelected(n, attributeNames)),
  );
  // SQS digests the attributes it returns, so a client can verify exactly what it got.
  const md5Attributes = md5OfMessageAttributes(MessageAttributes);
  return {
    MessageId: message.messageId,
    ReceiptHandle: message.receiptHandle,
    MD5OfBody: md5OfMessageBody(message.body),
    Body: message.body,
    ...(Object.keys(Attributes).length > 0 ? { Attributes } : {}),
    ...(md5Attributes ? { MD5OfMessageAttributes: md5Attributes, MessageAttributes } : {}),
  };
}

/**
 * `ReceiveMessage`: up to `MaxNumberOfMessages` visible messages, hidden for `VisibilityTimeout`;
 * system attributes (`AttributeNames` / `MessageSystemAttributeNames`) and message attributes
 * (`MessageAttributeNames`) only when asked. `WaitTimeSeconds` is ignored: it answers at once.
 */
export function receiveMessage(queue: SqsQueue, input: SqsInput): SqsAnswer {
  const max = input.MaxNumberOfMessages === undefined ? 1 : Number(input.MaxNumberOfMessages);
  if (!Number.isInteger(max) || max < 1 || max > 10) {
    return sqsError(
      "InvalidParameterValue",
      `Value ${max} for parameter MaxNumberOfMessages is invalid. Reason: Must be between 1 and 10, if provided.`,
    );
  }
  const visibility =
    input.VisibilityTimeout === undefined ? undefined : Number(input.VisibilityTimeout);
  const systemNames = namesIn(input, "AttributeNames", "MessageSystemAttributeNames");
  const attributeNames = namesIn(input, "MessageAttributeNames");
  const Messages = queue
    .receive(max, visibility)
    .map((m) => describe(m, systemNames, attributeNames));
  return ok(Messages.length > 0 ? { Messages } : {});
}

const invalidHandle = (handle: string) =>
  sqsError(
    "ReceiptHandleIsInvalid",
    `The input receipt handle "${handle}" is not a valid receipt handle.`,
  );

/** `DeleteMessage` / `DeleteMessageBatch`: an unknown handle fails; a stale one succeeds without deleting. */
export function deleteMessages(queue: SqsQueue, input: SqsInput, batch: boolean): SqsAnswer {
  const entries = batch ? entriesOf(input) : [input];
  const Successful: unknown[] = [];
  const Failed: unknown[] = [];
  for (const entry of entries) {
    const handle = String(entry.ReceiptHandle ?? "");
    if (queue.delete(handle) !== "invalid") Successful.push({ Id: entry.Id });
    else if (batch) Failed.push(failedEntry(entry.Id, invalidHandle(handle)));
    else return invalidHandle(handle);
  }
  return ok(batch ? { Successful, Failed } : {});
}

function visibilityError(queue: SqsQueue, entry: SqsInput): SqsErrorAnswer | undefined {
  const handle = String(entry.ReceiptHandle ?? "");
  const seconds = Number(entry.VisibilityTimeout);
  if (!Number.isInteger(seconds) || seconds < 0 || seconds > MAX_VISIBILITY_SECONDS) {
    return sqsError(
      "InvalidParameterValue",
      `Value ${String(entry.VisibilityTimeout)} for parameter VisibilityTimeout is invalid. Reason: Must be between 0 and ${MAX_VISIBILITY_SECONDS}, if provided.`,
    );
  }
  if (queue.lookup(handle) === "invalid") return invalidHandle(handle);
  if (!queue.changeVisibility(handle, seconds)) {
    return sqsError(
      "AWS.SimpleQueueService.MessageNotInflight",
      "Message does not exist or is not available for visibility timeout change.",
    );
  }
  return undefined;
}

/** `ChangeMessageVisibility` / `...Batch`: moves `visibleAt` of in-flight messages and records each change. */
export function changeVisibility(
  queue: SqsQueue,
  input: SqsInput,
  batch: boolean,
  context: SqsOperationContext,
): SqsAnswer {
  const entries = batch ? entriesOf(input) : [input];
  const Successful: unknown[] = [];
  const Failed: unknown[] = [];
  for (const entry of entries) {
    const error = visibilityError(queue, entry);
    if (error && !batch) return error;
    if (error) {
      Failed.push(failedEntry(entry.Id, error));
      continue;
    }
    context.visibilityChanges.push({
      queue: queue.name,
      receiptHandle: String(entry.ReceiptHandle),
      visibilityTimeout: Number(entry.VisibilityTimeout),
    });
    Successful.push({ Id: entry.Id });
  }
  return ok(batch ? { Successful, Failed } : {});
}
