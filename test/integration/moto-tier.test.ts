import { CreateSecretCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  type Message,
  ReceiveMessageCommand,
  SQSClient,
} from "@aws-sdk/client-sqs";
import type { Context } from "aws-lambda";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHandler } from "../../lambda/handler.js";
import { useStandInEnvironment } from "../support/aws-environment.js";
import { sqsRecordFromMessage } from "../support/events.js";
import { GitHubStandIn } from "../support/github-stand-in.js";
import { type MotoServer, motoAvailable, startMotoServer } from "../support/moto-server.js";

/**
 * Second opinion: the real handler and the real AWS SDK clients against moto_server, an AWS
 * emulator written independently of our stand-ins (real SQS visibility, delays and redrive).
 * moto is optional: without it this tier is skipped, and says so.
 */
const available = motoAvailable();
if (!available) {
  console.warn(
    "moto tier SKIPPED: moto_server is not on the PATH (pip install 'moto[server]' to run it)",
  );
}

const TOKEN = "ghp_moto_tier_token_0123456789abcdef";
const context = { awsRequestId: "moto-req-1" } as Context;

describe.skipIf(!available)("the handler against moto_server (SQS, Secrets Manager)", () => {
  let moto: MotoServer;
  let github: GitHubStandIn;
  let restore: () => void;
  let sqs: SQSClient;
  let queueUrl: string;
  let dlqUrl: string;

  beforeAll(async () => {
    moto = await startMotoServer();
    github = await GitHubStandIn.start({ tokens: [TOKEN] });
    restore = useStandInEnvironment({ github, secrets: moto, sqs: moto });
    sqs = new SQSClient({});
    const dlq = await sqs.send(new CreateQueueCommand({ QueueName: "wd-dlq" }));
    dlqUrl = dlq.QueueUrl ?? "";
    const dlqArn = (
      await sqs.send(
        new GetQueueAttributesCommand({ QueueUrl: dlqUrl, AttributeNames: ["QueueArn"] }),
      )
    ).Attributes?.QueueArn;
    const queue = await sqs.send(
      new CreateQueueCommand({
        QueueName: "wd",
        Attributes: {
          VisibilityTimeout: "30",
          RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: 12 }),
        },
      }),
    );
    queueUrl = queue.QueueUrl ?? "";
    await new SecretsManagerClient({}).send(
      new CreateSecretCommand({
        Name: "github/moto-bot",
        SecretString: JSON.stringify({ token: TOKEN }),
      }),
    );
    Object.assign(process.env, {
      GITHUB_TOKEN_SECRET: "github/moto-bot",
      ALLOWED_REPOSITORIES: "acme/*",
      DISPATCH_QUEUE_URL: queueUrl,
      DEAD_LETTER_QUEUE_URL: dlqUrl,
      POWERTOOLS_LOG_LEVEL: "SILENT",
      POWERTOOLS_METRICS_DISABLED: "true",
    });
  }, 60_000);

  afterAll(async () => {
    restore?.();
    sqs?.destroy();
    await github?.close();
    await moto?.stop();
  });

  async function receive(url: string, max = 10): Promise<Message[]> {
    const answer = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: url,
        MaxNumberOfMessages: max,
        MessageAttributeNames: ["All"],
        MessageSystemAttributeNames: ["All"],
      }),
    );
    return answer.Messages ?? [];
  }

  const asRecord = (m: Message) =>
    sqsRecordFromMessage(m, "arn:aws:sqs:eu-central-1:123456789012:wd");

  it("dispatches a scheduled job with the token read from moto's Secrets Manager", async () => {
    const handler = createHandler();
    const result = await handler(
      { owner: "acme", repo: "api", workflow_id: "nightly.yml", ref: "main" },
      context,
    );
    expect(result).toMatchObject({ outcome: "dispatched" });
    const dispatch = github.dispatches().at(-1);
    expect(dispatch?.path).toBe("/repos/acme/api/actions/workflows/nightly.yml/dispatches");
    expect(String(dispatch?.headers.authorization)).toContain(TOKEN);
  });

  it("parks a 404 from an SQS batch in moto's dead-letter queue with its reason and acknowledges it", async () => {
    github.scriptFor("acme/gone", { status: 404 });
    const body = JSON.stringify({ owner: "acme", repo: "gone", workflow_id: "x.yml", ref: "main" });
    const { SendMessageCommand } = await import("@aws-sdk/client-sqs");
    await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: body }));
    const records = (await receive(queueUrl)).map(asRecord);

    const result = await createHandler()({ Records: records }, context);

    expect(result).toEqual({ batchItemFailures: [] });
    const [parked] = await receive(dlqUrl);
    expect(parked?.Body).toBe(body);
    expect(parked?.MessageAttributes?.failure_class?.StringValue).toBe("permanent");
    expect(parked?.MessageAttributes?.reason?.StringValue).toMatch(/acme\/gone/);
    expect(JSON.stringify(parked)).not.toContain(TOKEN);
  });

  it("delays a 503 on the SQS path with a visibility change moto honours", async () => {
    github.scriptFor("acme/flaky", { status: 503 });
    const { SendMessageCommand } = await import("@aws-sdk/client-sqs");
    await sqs.send(
      new SendMessageCommand({
        QueueUrl: queueUrl,
        MessageBody: JSON.stringify({
          owner: "acme",
          repo: "flaky",
          workflow_id: "x.yml",
          ref: "main",
        }),
      }),
    );
    const [message] = await receive(queueUrl);
    if (!message) throw new Error("moto returned no message");

    const result = await createHandler(process.env, { random: () => 0.99 })(
      { Records: [asRecord(message)] },
      context,
    );

    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: message.MessageId }] });
    // The backoff set a visibility longer than the queue's, so it is not back yet.
    expect(await receive(queueUrl)).toEqual([]);
  });

  it("hands a retryable failure on the direct path to moto's queue with a delay", async () => {
    github.scriptFor("acme/busy", { status: 429, headers: { "retry-after": "60" } });

    const result = await createHandler()(
      { owner: "acme", repo: "busy", workflow_id: "x.yml", ref: "main" },
      context,
    );

    expect(result).toMatchObject({ outcome: "retry_scheduled", delay_seconds: 60 });
    const attributes = await sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: queueUrl,
        AttributeNames: ["ApproximateNumberOfMessagesDelayed"],
      }),
    );
    expect(
      Number(attributes.Attributes?.ApproximateNumberOfMessagesDelayed),
    ).toBeGreaterThanOrEqual(1);
  });
});
