import { SQSClient } from "@aws-sdk/client-sqs";
import { usageError } from "./cli-error.js";
import type { AwsCallContext } from "./describe-aws-failure.js";
import { ensureAwsConfig } from "./ensure-aws-config.js";

/** Names of a queue-URL option and its environment variable. */
export interface QueueOption {
  /** `--queue-url` or `--dlq-url`. */
  readonly flag: string;
  /** `DISPATCH_QUEUE_URL` or `DEAD_LETTER_QUEUE_URL`. */
  readonly variable: string;
  /** Human name of the queue, for messages. */
  readonly label: string;
}

/** The dispatch queue: `--queue-url` or `DISPATCH_QUEUE_URL`. */
export const DISPATCH_QUEUE: QueueOption = {
  flag: "--queue-url",
  variable: "DISPATCH_QUEUE_URL",
  label: "dispatch queue",
};
/** The dead-letter queue: `--dlq-url` or `DEAD_LETTER_QUEUE_URL`. */
export const DEAD_LETTER_QUEUE: QueueOption = {
  flag: "--dlq-url",
  variable: "DEAD_LETTER_QUEUE_URL",
  label: "dead-letter queue",
};

/** The queue URL from the option, else the environment; a usage error naming both when neither is set. */
export function resolveQueueUrl(
  given: string | undefined,
  queue: QueueOption,
  env: NodeJS.ProcessEnv,
): string {
  const url = given ?? env[queue.variable];
  if (!url) {
    throw usageError(
      `no ${queue.label} URL: pass ${queue.flag} or set ${queue.variable} (the stack prints it as an output)`,
    );
  }
  if (!/^https?:\/\/\S+$/.test(url)) {
    throw usageError(
      `${queue.flag} "${url}" is not a queue URL; use https://sqs.REGION.amazonaws.com/ACCOUNT/NAME`,
    );
  }
  return url;
}

/** How SQS calls are described when they fail, for one queue. */
export function sqsContext(queueUrl: string, queue: QueueOption): AwsCallContext {
  return {
    service: "SQS",
    endpointVariable: "AWS_ENDPOINT_URL_SQS",
    queueUrl,
    queueOption: `${queue.flag} or ${queue.variable}`,
  };
}

/**
 * An SQS client for the standard AWS configuration (profile, `AWS_REGION`, `AWS_ENDPOINT_URL_SQS`),
 * checked up front so a missing region or missing credentials are reported before any work.
 */
export async function createSqsClient(region: string | undefined): Promise<SQSClient> {
  const client = new SQSClient(region ? { region } : {});
  await ensureAwsConfig(client, { service: "SQS", endpointVariable: "AWS_ENDPOINT_URL_SQS" });
  return client;
}
