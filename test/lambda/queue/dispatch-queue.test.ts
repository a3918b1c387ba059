import { ReceiveMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DispatchQueue } from "../../../lambda/queue/dispatch-queue.js";
import { SqsStandIn } from "../../support/sqs-stand-in.js";

const job = { owner: "acme", repo: "api", workflow_id: "nightly.yml", ref: "main" };
let sqs: SqsStandIn;
let client: SQSClient;

function queue(urls: { dispatch?: string; dlq?: string } = {}): DispatchQueue {
  return new DispatchQueue({
    sqs: client,
    dispatchQueueUrl: "dispatch" in urls ? urls.dispatch : sqs.queueUrl("workflow-dispatch"),
    deadLetterQueueUrl: "dlq" in urls ? urls.dlq : sqs.queueUrl("workflow-dispatch-dlq"),
  });
}

const failure = {
  reason: "workflow nightly.yml in acme/api not found (404)",
  failureClass: "permanent",
  errorName: "PermanentDispatchError",
  status: 404,
  source: "sqs",
  repository: "acme/api",
  workflowId: "nightly.yml",
  attempts: 1,
  failedAt: new Date("2026-11-24T09:00:05.000Z"),
} as const;

describe("DispatchQueue", () => {
  afterEach(() => sqs.close());
  beforeEach(async () => {
    sqs = await SqsStandIn.start();
    client = new SQSClient({
      region: "eu-central-1",
      endpoint: sqs.url,
      credentials: { accessKeyId: "AKIAEXAMPLE", secretAccessKey: "example" },
      maxAttempts: 1,
    });
  });

  it("sends a retry to the dispatch queue with its delay and attempt number", async () => {
    await queue().retryLater(job, 120, 2);

    const [message] = sqs.messages("workflow-dispatch");
    expect(JSON.parse(message?.body ?? "")).toEqual(job);
    expect(message?.delaySeconds).toBe(120);
    expect(message?.attributes).toEqual({ attempt: { DataType: "Number", StringValue: "2" } });
  });

  it("parks the original body byte for byte with reason and class attributes", async () => {
    const original =
      '{"owner": "acme",  "repo": "api", "workflow_id": "nightly.yml", "ref": "main"}';
    await queue().parkInDeadLetterQueue(original, failure);

    const [message] = sqs.messages("workflow-dispatch-dlq");
    expect(message?.body).toBe(original);
    expect(message?.attributes).toEqual({
      reason: { DataType: "String", StringValue: failure.reason },
      failure_class: { DataType: "String", StringValue: "permanent" },
      error_name: { DataType: "String", StringValue: "PermanentDispatchError" },
      status: { DataType: "Number", StringValue: "404" },
      source: { DataType: "String", StringValue: "sqs" },
      repository: { DataType: "String", StringValue: "acme/api" },
      workflow_id: { DataType: "String", StringValue: "nightly.yml" },
      attempts: { DataType: "Number", StringValue: "1" },
      failed_at: { DataType: "String", StringValue: "2026-11-24T09:00:05.000Z" },
    });
  });

  it("leaves out attributes it does not know, since SQS rejects empty values", async () => {
    await queue().parkInDeadLetterQueue("not json", {
      ...failure,
      repository: undefined,
      workflowId: undefined,
    });
    const [message] = sqs.messages("workflow-dispatch-dlq");
    expect(Object.keys(message?.attributes ?? {})).not.toContain("repository");
    expect(Object.keys(message?.attributes ?? {})).not.toContain("workflow_id");
  });

  it("delays a received message by changing its visibility", async () => {
    sqs.enqueue("workflow-dispatch", JSON.stringify(job));
    const received = await client.send(
      new ReceiveMessageCommand({ QueueUrl: sqs.queueUrl("workflow-dispatch") }),
    );
    const handle = received.Messages?.[0]?.ReceiptHandle ?? "";

    await queue().delayMessage(handle, 600);

    expect(sqs.visibilityChanges).toEqual([
      expect.objectContaining({ receiptHandle: handle, visibilityTimeout: 600 }),
    ]);
  });

  it.each([
    ["DISPATCH_QUEUE_URL", () => queue({ dispatch: undefined }).retryLater(job, 1, 2)],
    ["DEAD_LETTER_QUEUE_URL", () => queue({ dlq: undefined }).parkInDeadLetterQueue("x", failure)],
  ])("throws naming %s when it is not set", async (variable, act) => {
    await expect(act()).rejects.toThrow(`${variable}: not set`);
  });

  it("throws when SQS refuses the message, so the caller keeps the job", async () => {
    sqs.failNext("SendMessage", { type: "AWS.SimpleQueueService.NonExistentQueue", status: 400 });
    await expect(queue().parkInDeadLetterQueue("x", failure)).rejects.toThrow();
    expect(sqs.messages("workflow-dispatch-dlq")).toHaveLength(0);
  });
});
