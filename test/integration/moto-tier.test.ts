import { GetQueueAttributesCommand, type Message, type SQSClient } from "@aws-sdk/client-sqs";
import type { Context } from "aws-lambda";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHandler } from "../../lambda/handler.js";
import { sqsRecordFromMessage } from "../support/events.js";
import type { GitHubStandIn } from "../support/github-stand-in.js";
import {
  type MotoQueues,
  type MotoTier,
  motoTierAvailable,
  startMotoTier,
} from "../support/moto-fixtures.js";

/**
 * Second opinion: the real handler and the real AWS SDK clients against moto_server, an AWS
 * emulator written independently of our stand-ins (real SQS visibility, delays and redrive).
 * moto is optional: without it this tier is skipped, and says so.
 */
const available = motoTierAvailable();

const TOKEN = "ghp_moto_tier_token_0123456789abcdef";
const context = { awsRequestId: "moto-req-1" } as Context;

describe.skipIf(!available)("the handler against moto_server (SQS, Secrets Manager)", () => {
  let tier: MotoTier;
  let github: GitHubStandIn;
  let sqs: SQSClient;
  let queues: MotoQueues;
  let queueUrl: string;
  let dlqUrl: string;

  beforeAll(async () => {
    tier = await startMotoTier(TOKEN, "github/moto-bot");
    ({ github, sqs } = tier);
    queues = await tier.createQueues("wd");
    ({ queueUrl, dlqUrl } = queues);
    Object.assign(process.env, { DISPATCH_QUEUE_URL: queueUrl, DEAD_LETTER_QUEUE_URL: dlqUrl });
  }, 60_000);

  afterAll(async () => {
    await tier?.close();
  });

  const receive = (url: string) => tier.receive(url);
  const asRecord = (m: Message) => sqsRecordFromMessage(m, queues.queueArn);

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
