import { CreateSecretCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import {
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  type Message,
  type QueueAttributeName,
  ReceiveMessageCommand,
  type SendMessageCommandInput,
  SQSClient,
} from "@aws-sdk/client-sqs";
import type { SQSBatchResponse, SQSRecord } from "aws-lambda";
import { useStandInEnvironment } from "./aws-environment.js";
import { sqsRecordFromMessage } from "./events.js";
import { GitHubStandIn } from "./github-stand-in.js";
import { type MotoServer, motoAvailable, startMotoServer } from "./moto-server.js";

/** What a moto tier prints when it is skipped. */
const MOTO_SKIPPED =
  "moto tier SKIPPED: moto_server is not on the PATH (pip install 'moto[server]' to run it)";

/** True when `moto_server` is on the PATH; otherwise warns {@link MOTO_SKIPPED} so the skip is seen. */
export function motoTierAvailable(): boolean {
  const available = motoAvailable();
  if (!available) console.warn(MOTO_SKIPPED);
  return available;
}

/** A dispatch queue and its dead-letter queue in moto. */
export interface MotoQueues {
  readonly queueUrl: string;
  readonly queueArn: string;
  readonly dlqUrl: string;
}

/** moto, the GitHub stand-in, the environment pointing the real clients at them, and the token's secret. */
export interface MotoTier {
  readonly moto: MotoServer;
  readonly github: GitHubStandIn;
  /** A client of moto's SQS, for the test's own calls. */
  readonly sqs: SQSClient;
  /** Creates `NAME` (visibility 30 s, redrive after 12 receives) and `NAME-dlq`. */
  createQueues(name: string): Promise<MotoQueues>;
  /** The queue's `ApproximateNumberOf*` counters, as moto reports them. */
  counts(queueUrl: string): Promise<{ visible: number; inFlight: number; delayed: number }>;
  /** Receives up to `max` visible messages with all their attributes. */
  receive(queueUrl: string, max?: number): Promise<Message[]>;
  /** The records Lambda's event source mapping builds from `messages` of `queues`. */
  records(messages: readonly Message[], queues: MotoQueues): SQSRecord[];
  /** Deletes the messages a batch response acknowledged, as the event source mapping does. */
  acknowledge(queueUrl: string, records: readonly SQSRecord[], result: unknown): Promise<void>;
  /** Restores the environment and stops everything. */
  close(): Promise<void>;
}

/**
 * Starts moto and the GitHub stand-in (accepting `token`), points the AWS SDK (SQS, Secrets Manager,
 * DynamoDB) and Octokit at them with {@link useStandInEnvironment}, stores `{"token": token}` in
 * moto's Secrets Manager under `secretName`, and sets the function's variables: that secret as
 * `GITHUB_TOKEN_SECRET`, `ALLOWED_REPOSITORIES=acme/*`, silent logs, no metrics. `close()` also
 * restores `DISPATCH_QUEUE_URL` and `DEAD_LETTER_QUEUE_URL`, which a tier may set once its queues exist.
 */
export async function startMotoTier(token: string, secretName: string): Promise<MotoTier> {
  const moto = await startMotoServer();
  let github: GitHubStandIn | undefined;
  let restore: () => void = () => undefined;
  try {
    github = await GitHubStandIn.start({ tokens: [token] });
    restore = useStandInEnvironment({
      github,
      secrets: moto,
      sqs: moto,
      dynamodb: moto,
      extra: {
        GITHUB_TOKEN_SECRET: secretName,
        ALLOWED_REPOSITORIES: "acme/*",
        POWERTOOLS_LOG_LEVEL: "SILENT",
        POWERTOOLS_METRICS_DISABLED: "true",
        DISPATCH_QUEUE_URL: undefined,
        DEAD_LETTER_QUEUE_URL: undefined,
      },
    });
    const secrets = new SecretsManagerClient({});
    await secrets
      .send(new CreateSecretCommand({ Name: secretName, SecretString: JSON.stringify({ token }) }))
      .finally(() => secrets.destroy());
  } catch (error) {
    // Leave no moto_server process behind when the set-up fails half-way.
    restore();
    await github?.close();
    await moto.stop();
    throw error;
  }
  return tierOf(moto, github, restore);
}

function tierOf(moto: MotoServer, github: GitHubStandIn, restore: () => void): MotoTier {
  const sqs = new SQSClient({});
  const attributes = async (url: string, name: QueueAttributeName) =>
    (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: [name] })))
      .Attributes ?? {};

  return {
    moto,
    github,
    sqs,
    async createQueues(name) {
      const dlqUrl = (await sqs.send(new CreateQueueCommand({ QueueName: `${name}-dlq` })))
        .QueueUrl;
      const dlqArn = (await attributes(dlqUrl ?? "", "QueueArn")).QueueArn;
      const redrive = { deadLetterTargetArn: dlqArn, maxReceiveCount: 12 };
      const queueUrl = (
        await sqs.send(
          new CreateQueueCommand({
            QueueName: name,
            Attributes: { VisibilityTimeout: "30", RedrivePolicy: JSON.stringify(redrive) },
          }),
        )
      ).QueueUrl;
      const queueArn = (await attributes(queueUrl ?? "", "QueueArn")).QueueArn;
      if (!queueUrl || !queueArn || !dlqUrl) throw new Error(`moto did not create queue ${name}`);
      return { queueUrl, queueArn, dlqUrl };
    },
    async counts(queueUrl) {
      const all = await attributes(queueUrl, "All");
      const n = (name: QueueAttributeName) => Number(all[name] ?? Number.NaN);
      return {
        visible: n("ApproximateNumberOfMessages"),
        inFlight: n("ApproximateNumberOfMessagesNotVisible"),
        delayed: n("ApproximateNumberOfMessagesDelayed"),
      };
    },
    async receive(queueUrl, max = 10) {
      const answer = await sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: queueUrl,
          MaxNumberOfMessages: max,
          MessageAttributeNames: ["All"],
          MessageSystemAttributeNames: ["All"],
        }),
      );
      return answer.Messages ?? [];
    },
    records: (messages, queues) => messages.map((m) => sqsRecordFromMessage(m, queues.queueArn)),
    async acknowledge(queueUrl, records, result) {
      const failed = new Set(
        (result as SQSBatchResponse).batchItemFailures.map((f) => f.itemIdentifier),
      );
      const done = records.filter((r) => !failed.has(r.messageId));
      if (done.length === 0) return;
      await sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: queueUrl,
          Entries: done.map((r, i) => ({ Id: String(i), ReceiptHandle: r.receiptHandle })),
        }),
      );
    },
    async close() {
      restore();
      sqs.destroy();
      await github.close();
      await moto.stop();
    },
  };
}

/**
 * A real SQS client (endpoint from the environment) that also records every message it is asked to
 * send: what the function asked the queue to hold, as a delayed message's `DelaySeconds` and
 * attributes cannot be read back from SQS until it is delivered. Pass it as the dispatcher's `sqs`.
 */
export function recordingSqsClient(): { sqs: SQSClient; sends: SendMessageCommandInput[] } {
  const sends: SendMessageCommandInput[] = [];
  const sqs = new SQSClient({});
  sqs.middlewareStack.add(
    (next) => async (args) => {
      if ("MessageBody" in args.input) sends.push(args.input as SendMessageCommandInput);
      return next(args);
    },
    { step: "initialize", name: "recordSends" },
  );
  return { sqs, sends };
}
