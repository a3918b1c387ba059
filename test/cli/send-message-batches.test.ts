import { SQSClient } from "@aws-sdk/client-sqs";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type SendReport, sendMessageBatches } from "../../cli/send-message-batches.js";
import { SqsStandIn } from "../support/sqs-stand-in.js";

const QUEUE = "workflow-dispatch";
const message = (n: number, bytes = 10) => ({ location: `m${n}`, body: "x".repeat(bytes) });

let sqs: SqsStandIn;
let client: SQSClient;
let report: SendReport;

beforeEach(async () => {
  sqs = await SqsStandIn.start({ queues: [QUEUE] });
  client = new SQSClient({
    endpoint: sqs.url,
    region: "eu-central-1",
    credentials: { accessKeyId: "AKIDSTANDIN", secretAccessKey: "standin-secret" },
    maxAttempts: 1,
  });
  report = { sent: [], failed: [] };
});
afterEach(async () => {
  client.destroy();
  await sqs.close();
});

/** Entries of each SendMessageBatch call the stand-in received, as message sizes in bytes. */
function batchesReceived(): number[][] {
  return sqs
    .calls("SendMessageBatch")
    .map((call) =>
      (call.body as { Entries: { MessageBody: string }[] }).Entries.map(
        (e) => e.MessageBody.length,
      ),
    );
}

describe("sendMessageBatches", () => {
  it("sends at most ten messages a call and reports each one sent by its location", async () => {
    const messages = Array.from({ length: 23 }, (_, i) => message(i));

    await sendMessageBatches(client, sqs.queueUrl(QUEUE), messages, report);

    // Calls run concurrently, so they may arrive in any order.
    expect(
      batchesReceived()
        .map((b) => b.length)
        .sort((a, b) => b - a),
    ).toEqual([10, 10, 3]);
    expect(report.sent.map((s) => s.location).sort()).toEqual(
      messages.map((m) => m.location).sort(),
    );
    expect(report.failed).toEqual([]);
    expect(sqs.messages(QUEUE)).toHaveLength(23);
  });

  it("starts a new call before the batch would exceed 256 KiB", async () => {
    const messages = [message(1, 100_000), message(2, 100_000), message(3, 100_000)];

    await sendMessageBatches(client, sqs.queueUrl(QUEUE), messages, report, () => undefined, 1);

    expect(batchesReceived()).toEqual([[100_000, 100_000], [100_000]]);
    expect(report.sent.map((s) => s.location)).toEqual(["m1", "m2", "m3"]);
  });

  it("fails a message larger than 256 KiB on its own, naming its size and the limit", async () => {
    const messages = [message(1), message(2, 262_145), message(3)];

    await sendMessageBatches(client, sqs.queueUrl(QUEUE), messages, report);

    expect(report.failed).toEqual([
      { location: "m2", reason: "message is 262145 bytes; SQS accepts at most 262144" },
    ]);
    expect(batchesReceived()).toEqual([[10, 10]]);
    expect(report.sent.map((s) => s.location)).toEqual(["m1", "m3"]);
  });

  it("fails an entry SQS refuses with SQS's code and keeps the rest of its batch sent", async () => {
    sqs.failBatchEntries("SendMessageBatch", ["1"]);

    await sendMessageBatches(client, sqs.queueUrl(QUEUE), [message(1), message(2)], report);

    expect(report.failed).toEqual([
      { location: "m2", reason: expect.stringMatching(/^InternalError: /) },
    ]);
    expect(report.sent.map((s) => s.location)).toEqual(["m1"]);
  });
});
