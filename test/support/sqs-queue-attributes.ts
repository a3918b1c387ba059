import { ok, type SqsAnswer, type SqsInput, type SqsOperationContext } from "./sqs-operation.js";
import type { SqsQueue } from "./sqs-queue.js";
import { isSelected, namesIn } from "./sqs-receive-operations.js";

/**
 * GetQueueAttributes: the approximate counts, ARN, visibility timeout, size limit and redrive policy
 * of `queue`, filtered by `AttributeNames` (`All`, exact names); no `Attributes` key when none match.
 */
export function getQueueAttributes(
  queue: SqsQueue,
  input: SqsInput,
  context: SqsOperationContext,
): SqsAnswer {
  const counts = queue.counts();
  const redrive = queue.deadLetter && {
    deadLetterTargetArn: context.queueArn(queue.deadLetter.queue.name),
    maxReceiveCount: queue.deadLetter.maxReceiveCount,
  };
  const all: Record<string, string> = {
    ApproximateNumberOfMessages: String(counts.visible),
    ApproximateNumberOfMessagesNotVisible: String(counts.notVisible),
    ApproximateNumberOfMessagesDelayed: String(counts.delayed),
    QueueArn: context.queueArn(queue.name),
    VisibilityTimeout: String(queue.visibilityTimeoutSeconds),
    DelaySeconds: "0",
    MaximumMessageSize: String(context.maxMessageBytes),
    ...(redrive ? { RedrivePolicy: JSON.stringify(redrive) } : {}),
  };
  const wanted = namesIn(input, "AttributeNames");
  const Attributes = Object.fromEntries(Object.entries(all).filter(([n]) => isSelected(n, wanted)));
  return ok(Object.keys(Attributes).length > 0 ? { Attributes } : {});
}
