import {
  BatchEntryIdsNotDistinct,
  ChangeMessageVisibilityBatchCommand,
  ChangeMessageVisibilityCommand,
  DeleteMessageBatchCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  InvalidMessageContents,
  MessageNotInflight,
  PurgeQueueCommand,
  QueueDoesNotExist,
  ReceiptHandleIsInvalid,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  SQSClient,
  SQSServiceException,
  TooManyEntriesInBatchRequest,
} from "@aws-sdk/client-sqs";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { useStandInEnvironment } from "./aws-environment.js";
import { rejectionOf } from "./rejection-of.js";
import { SqsStandIn } from "./sqs-stand-in.js";

const QUEUE = "workflow-dispatch";
const DLQ = "workflow-dispatch-dlq";
// Digests SQS itself publishes for these attributes (see sqs-md5.test.ts).
const textAttribute = { attribName1: { DataType: "String", StringValue: "attribValue 1" } };
const TEXT_MD5 = "19e27d4e946b072f3f58da80d94fd778";
const binaryAttribute = {
  binaryAttribute: { DataType: "Binary", BinaryValue: Buffer.from("Hello binary world!") },
};
const BINARY_MD5 = "31a92b15d92f8db860eda32aceb656c3";
const numberAttribute = {
  customNumberTypeAttrib: {
    DataType: "Number.float",
    StringValue: "4563442423554324324264524243.32543234",
  },
};
const ALL_THREE_MD5 = "c932db14a896c663f83c260297d594ff";

describe("SqsStandIn", () => {
  let sqs: SqsStandIn;
  let client: SQSClient;
  let restore: () => void;
  let now: number;
  let queueUrl: string;

  beforeEach(async () => {
    now = 1_800_000_000_000;
    sqs = await SqsStandIn.start({ clock: () => now });
    restore = useStandInEnvironment({ sqs });
    client = new SQSClient({ maxAttempts: 1 });
    queueUrl = sqs.queueUrl(QUEUE);
  });
  afterEach(async () => {
    client.destroy();
    restore();
    await sqs.close();
  });

  const receive = (extra: Record<string, unknown> = {}) =>
    client.send(
      new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, ...extra }),
    );

  it("stores a sent message and answers its MD5, which the SDK verifies", async () => {
    const sent = await client.send(
      new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: "ä job" }),
    );

    const [stored] = sqs.messages(QUEUE);
    expect(stored).toMatchObject({
      messageId: sent.MessageId,
      body: "ä job",
      sentAt: now,
      visibleAt: now,
    });
    expect(sent.MD5OfMessageAttributes).toBeUndefined();
    expect(sqs.requests[0]?.target).toBe("AmazonSQS.SendMessage");
    expect(sqs.calls("SendMessage")).toHaveLength(1);
  });

  it("answers SQS's own MD5OfMessageAttributes for string and binary attributes", async () => {
    const text = await client.send(
      new SendMessageCommand({
        QueueUrl: queueUrl,
        MessageBody: "a",
        MessageAttributes: textAttribute,
      }),
    );
    const binary = await client.send(
      new SendMessageCommand({
        QueueUrl: queueUrl,
        MessageBody: "b",
        MessageAttributes: binaryAttribute,
      }),
    );
    expect(text.MD5OfMessageAttributes).toBe(TEXT_MD5);
    expect(binary.MD5OfMessageAttributes).toBe(BINARY_MD5);
    expect(sqs.messages(QUEUE)[0]?.attributes).toEqual(textAttribute);
  });

  it("returns system and message attributes on receive only when asked", async () => {
    await client.send(
      new SendMessageCommand({
        QueueUrl: queueUrl,
        MessageBody: "job",
        MessageAttributes: { ...textAttribute, ...binaryAttribute, ...numberAttribute },
      }),
    );
    const plain = await receive({ VisibilityTimeout: 0 });
    const full = await receive({
      MessageSystemAttributeNames: ["All"],
      MessageAttributeNames: ["All"],
    });

    expect(plain.Messages?.[0]?.Attributes).toBeUndefined();
    expect(plain.Messages?.[0]?.MessageAttributes).toBeUndefined();
    const message = full.Messages?.[0];
    expect(message?.Attributes).toMatchObject({
      ApproximateReceiveCount: "2",
      SentTimestamp: String(now),
    });
    expect(message?.MessageAttributes?.attribName1?.StringValue).toBe("attribValue 1");
    expect(
      Buffer.from(message?.MessageAttributes?.binaryAttribute?.BinaryValue ?? []).toString(),
    ).toBe("Hello binary world!");
    expect(message?.MD5OfMessageAttributes).toBe(ALL_THREE_MD5);
  });

  it("digests only the message attributes it returns", async () => {
    await client.send(
      new SendMessageCommand({
        QueueUrl: queueUrl,
        MessageBody: "job",
        MessageAttributes: { ...textAttribute, ...binaryAttribute },
      }),
    );
    const { Messages } = await receive({ MessageAttributeNames: ["attribName1"] });
    expect(Object.keys(Messages?.[0]?.MessageAttributes ?? {})).toEqual(["attribName1"]);
    expect(Messages?.[0]?.MD5OfMessageAttributes).toBe(TEXT_MD5);
  });

  it("hides a received message until its visibility timeout passes", async () => {
    await client.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: "job" }));

    const first = await receive({
      VisibilityTimeout: 30,
      AttributeNames: ["ApproximateReceiveCount"],
    });
    const whileHidden = await receive();
    now += 30_000;
    const again = await receive({ AttributeNames: ["ApproximateReceiveCount"] });

    expect(first.Messages).toHaveLength(1);
    expect(whileHidden.Messages).toBeUndefined();
    expect(again.Messages?.[0]?.Attributes?.ApproximateReceiveCount).toBe("2");
    expect(again.Messages?.[0]?.ReceiptHandle).not.toBe(first.Messages?.[0]?.ReceiptHandle);
  });

  it("delays first visibility by DelaySeconds", async () => {
    await client.send(
      new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: "job", DelaySeconds: 60 }),
    );

    const early = await receive();
    const attributes = await client.send(
      new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ["All"] }),
    );
    now += 60_000;
    const later = await receive();

    expect(early.Messages).toBeUndefined();
    expect(attributes.Attributes).toMatchObject({
      ApproximateNumberOfMessages: "0",
      ApproximateNumberOfMessagesDelayed: "1",
      ApproximateNumberOfMessagesNotVisible: "0",
      QueueArn: sqs.queueArn(QUEUE),
    });
    expect(later.Messages).toHaveLength(1);
  });

  it("moves visibility with ChangeMessageVisibility and records the change", async () => {
    await client.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: "job" }));
    const { Messages } = await receive();
    const handle = Messages?.[0]?.ReceiptHandle ?? "";

    await client.send(
      new ChangeMessageVisibilityCommand({
        QueueUrl: queueUrl,
        ReceiptHandle: handle,
        VisibilityTimeout: 120,
      }),
    );
    now += 119_000;
    const hidden = await receive();
    now += 1_000;
    const visible = await receive();

    expect(sqs.visibilityChanges).toEqual([
      { queue: QUEUE, receiptHandle: handle, visibilityTimeout: 120 },
    ]);
    expect(hidden.Messages).toBeUndefined();
    expect(visible.Messages).toHaveLength(1);
  });

  it("fails ChangeMessageVisibility with MessageNotInflight once the message is visible again", async () => {
    await client.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: "job" }));
    const { Messages } = await receive({ VisibilityTimeout: 10 });
    now += 10_000;

    const error = await rejectionOf(
      client.send(
        new ChangeMessageVisibilityCommand({
          QueueUrl: queueUrl,
          ReceiptHandle: Messages?.[0]?.ReceiptHandle,
          VisibilityTimeout: 60,
        }),
      ),
      Error,
    );
    expect(error).toBeInstanceOf(MessageNotInflight);
    expect(sqs.visibilityChanges).toEqual([]);
  });

  it("deletes a received message and rejects an unknown receipt handle", async () => {
    await client.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: "job" }));
    const { Messages } = await receive();

    await client.send(
      new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: Messages?.[0]?.ReceiptHandle }),
    );
    const error = await rejectionOf(
      client.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: "not-a-handle" })),
      Error,
    );

    expect(sqs.messages(QUEUE)).toEqual([]);
    expect(error).toBeInstanceOf(ReceiptHandleIsInvalid);
  });

  it("answers batch deletes and visibility changes entry by entry", async () => {
    sqs.enqueue(QUEUE, "one");
    sqs.enqueue(QUEUE, "two");
    const { Messages = [] } = await receive();
    const [one, two] = Messages;

    const changed = await client.send(
      new ChangeMessageVisibilityBatchCommand({
        QueueUrl: queueUrl,
        Entries: [
          { Id: "a", ReceiptHandle: one?.ReceiptHandle, VisibilityTimeout: 5 },
          { Id: "b", ReceiptHandle: "bogus", VisibilityTimeout: 5 },
        ],
      }),
    );
    const deleted = await client.send(
      new DeleteMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: [
          { Id: "x", ReceiptHandle: two?.ReceiptHandle },
          { Id: "y", ReceiptHandle: "bogus" },
        ],
      }),
    );

    expect(changed.Successful).toEqual([{ Id: "a" }]);
    expect(changed.Failed).toMatchObject([
      { Id: "b", Code: "ReceiptHandleIsInvalid", SenderFault: true },
    ]);
    expect(deleted.Successful).toEqual([{ Id: "x" }]);
    expect(deleted.Failed).toMatchObject([{ Id: "y", Code: "ReceiptHandleIsInvalid" }]);
    expect(sqs.messages(QUEUE).map((m) => m.body)).toEqual(["one"]);
  });

  it("sends a batch and reports failed entries without failing the call", async () => {
    sqs.failBatchEntries("SendMessageBatch", ["b"]);
    const result = await client.send(
      new SendMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: [
          { Id: "a", MessageBody: "one", MessageAttributes: textAttribute },
          { Id: "b", MessageBody: "two" },
          { Id: "c", MessageBody: "three", DelaySeconds: 901 },
          { Id: "d", MessageBody: "four", DelaySeconds: 5 },
        ],
      }),
    );

    expect(result.Successful?.map((e) => e.Id)).toEqual(["a", "d"]);
    expect(result.Successful?.[0]?.MD5OfMessageAttributes).toBe(TEXT_MD5);
    expect(result.Failed).toMatchObject([
      { Id: "b", Code: "InternalError", SenderFault: false },
      { Id: "c", Code: "InvalidParameterValue", SenderFault: true },
    ]);
    expect(sqs.messages(QUEUE).map((m) => [m.body, m.delaySeconds])).toEqual([
      ["one", 0],
      ["four", 5],
    ]);
  });

  it.each([
    [
      "more than 10 entries",
      Array.from({ length: 11 }, (_, i) => ({ Id: `e${i}`, MessageBody: "x" })),
      TooManyEntriesInBatchRequest,
    ],
    [
      "repeated entry ids",
      [
        { Id: "a", MessageBody: "x" },
        { Id: "a", MessageBody: "y" },
      ],
      BatchEntryIdsNotDistinct,
    ],
  ])("rejects a batch with %s", async (_, Entries, errorClass) => {
    const error = await rejectionOf(
      client.send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries })),
      Error,
    );
    expect(error).toBeInstanceOf(errorClass);
    expect(sqs.messages(QUEUE)).toEqual([]);
  });

  it.each([
    ["a body with a NUL character", { MessageBody: "a\u0000b" }, "InvalidMessageContents"],
    ["a body over 256 KiB", { MessageBody: "x".repeat(262_145) }, "InvalidParameterValue"],
    ["DelaySeconds over 900", { MessageBody: "x", DelaySeconds: 901 }, "InvalidParameterValue"],
  ])("rejects %s", async (_, input, name) => {
    const error = await rejectionOf(
      client.send(new SendMessageCommand({ QueueUrl: queueUrl, ...input })),
      Error,
    );
    expect(error.name).toBe(name);
    if (name === "InvalidMessageContents") expect(error).toBeInstanceOf(InvalidMessageContents);
  });

  it("fails calls to an unknown queue with QueueDoesNotExist", async () => {
    const error = await rejectionOf(
      client.send(new SendMessageCommand({ QueueUrl: sqs.queueUrl("nope"), MessageBody: "x" })),
      Error,
    );
    expect(error).toBeInstanceOf(QueueDoesNotExist);
    expect(error.message).toBe("The specified queue does not exist.");
  });

  it.each([
    ["AWS.SimpleQueueService.NonExistentQueue", 400, "QueueDoesNotExist", "client"],
    ["InternalError", 500, "InternalError", "server"],
    ["RequestThrottled", 403, "RequestThrottled", "client"],
  ])("fails the next call with an injected %s", async (type, status, name, fault) => {
    sqs.failNext("SendMessage", { type, status });

    const error = await rejectionOf(
      client.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: "x" })),
      Error,
    );
    const next = await client.send(
      new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: "x" }),
    );

    expect(error).toBeInstanceOf(SQSServiceException);
    expect(error).toMatchObject({ name, $fault: fault, $metadata: { httpStatusCode: status } });
    expect(next.MessageId).toBeDefined();
  });

  it("lets the SDK's default retries ride over an injected 5xx", async () => {
    sqs.failNext("SendMessage", { type: "InternalError", status: 500 });
    const retrying = new SQSClient({});
    try {
      await retrying.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: "x" }));
    } finally {
      retrying.destroy();
    }
    expect(sqs.calls("SendMessage")).toHaveLength(2);
    expect(sqs.messages(QUEUE)).toHaveLength(1);
  });

  it("answers GetQueueUrl and empties a queue with PurgeQueue", async () => {
    sqs.enqueue(QUEUE, "job");
    const { QueueUrl } = await client.send(new GetQueueUrlCommand({ QueueName: QUEUE }));
    await client.send(new PurgeQueueCommand({ QueueUrl }));
    expect(QueueUrl).toBe(queueUrl);
    expect(sqs.messages(QUEUE)).toEqual([]);
  });
});

describe("SqsStandIn with a redrive policy", () => {
  it("moves a message to the dead-letter queue after maxReceiveCount receives", async () => {
    let now = 0;
    const sqs = await SqsStandIn.start({
      clock: () => now,
      redrive: { [QUEUE]: { deadLetterQueue: DLQ, maxReceiveCount: 2 } },
    });
    const restore = useStandInEnvironment({ sqs });
    const client = new SQSClient({ maxAttempts: 1 });
    try {
      sqs.enqueue(QUEUE, "poison");
      const receive = () =>
        client.send(
          new ReceiveMessageCommand({ QueueUrl: sqs.queueUrl(QUEUE), VisibilityTimeout: 1 }),
        );
      const counts: number[] = [];
      for (let i = 0; i < 3; i++) {
        counts.push((await receive()).Messages?.length ?? 0);
        now += 1_000;
      }
      expect(counts).toEqual([1, 1, 0]);
      expect(sqs.messages(QUEUE)).toEqual([]);
      expect(sqs.messages(DLQ).map((m) => m.body)).toEqual(["poison"]);
    } finally {
      client.destroy();
      restore();
      await sqs.close();
    }
  });

  it("throws naming the missing queue when a redrive target is unknown", async () => {
    await expect(
      SqsStandIn.start({ redrive: { [QUEUE]: { deadLetterQueue: "nope", maxReceiveCount: 1 } } }),
    ).rejects.toThrow(/no queue "nope"/);
  });
});
