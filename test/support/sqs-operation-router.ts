import { defaultSqsMessage, sqsError } from "./sqs-errors.js";
import { ok, type SqsAnswer, type SqsInput, type SqsOperationContext } from "./sqs-operation.js";
import type { SqsQueue } from "./sqs-queue.js";
import { getQueueAttributes } from "./sqs-queue-attributes.js";
import { changeVisibility, deleteMessages, receiveMessage } from "./sqs-receive-operations.js";
import { sendMessage, sendMessageBatch } from "./sqs-send-operations.js";

/** What routing needs besides the operations' own context: the URL a queue name answers to. */
export interface SqsRouterContext extends SqsOperationContext {
  queueUrl(name: string): string;
}

const queueMissing = () => sqsError("QueueDoesNotExist", defaultSqsMessage("QueueDoesNotExist"));

/**
 * Answers one SQS operation: GetQueueUrl by queue name, every other operation on the queue its
 * `QueueUrl` ends in (`QueueDoesNotExist` when there is none); `UnsupportedOperation` for the rest.
 */
export function routeSqsOperation(
  operation: string,
  input: SqsInput,
  queues: ReadonlyMap<string, SqsQueue>,
  context: SqsRouterContext,
): SqsAnswer {
  if (operation === "GetQueueUrl") {
    const name = String(input.QueueName ?? "");
    return queues.has(name) ? ok({ QueueUrl: context.queueUrl(name) }) : queueMissing();
  }
  const queue = queues.get(
    String(input.QueueUrl ?? "")
      .split("/")
      .pop() ?? "",
  );
  if (!queue) return queueMissing();
  switch (operation) {
    case "SendMessage":
      return sendMessage(queue, input, context);
    case "SendMessageBatch":
      return sendMessageBatch(queue, input, context);
    case "ReceiveMessage":
      return receiveMessage(queue, input);
    case "DeleteMessage":
    case "DeleteMessageBatch":
      return deleteMessages(queue, input, operation === "DeleteMessageBatch");
    case "ChangeMessageVisibility":
    case "ChangeMessageVisibilityBatch":
      return changeVisibility(queue, input, operation.endsWith("Batch"), context);
    case "GetQueueAttributes":
      return getQueueAttributes(queue, input, context);
    case "PurgeQueue":
      queue.purge();
      return ok();
    default:
      return sqsError("UnsupportedOperation", `The SQS stand-in does not implement ${operation}.`);
  }
}
