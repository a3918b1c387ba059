import { SQSClient } from "@aws-sdk/client-sqs";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { enqueueJobs } from "../../../lambda/queue/enqueue-jobs.js";
import { SqsStandIn } from "../../support/sqs-stand-in.js";

let sqs: SqsStandIn;
let client: SQSClient;
let queueUrl: string;
const QUEUE = "workflow-dispatch";

beforeEach(async () => {
  sqs = await SqsStandIn.start({ queues: [QUEUE] });
  queueUrl = sqs.queueUrl(QUEUE);
  client = new SQSClient({
    endpoint: sqs.url,
    region: "eu-central-1",
    credentials: { accessKeyId: "AKIDSTANDIN", secretAccessKey: "standin-secret" },
    maxAttempts: 1,
  });
});
afterEach(async () => {
  client.destroy();
  await sqs.close();
});

const jobs = (count: number) =>
  Array.from({ length: count }, (_, i) => ({
    body: JSON.stringify({ owner: "acme", repo: `r${i}` }),
  }));
const noWait = async () => undefined;

describe("enqueueJobs", () => {
  it("sends 25 messages in three SendMessageBatch calls of at most 10", async () => {
    const result = await enqueueJobs(jobs(25), { sqs: client, queueUrl, sleep: noWait });

    expect(result).toEqual({ sent: 25, unsent: [] });
    expect(
      sqs.calls("SendMessageBatch").map((c) => (c.body as { Entries: unknown[] }).Entries.length),
    ).toEqual([10, 10, 5]);
    expect(sqs.messages(QUEUE)).toHaveLength(25);
  });

  it("keeps each call within 256 KiB", async () => {
    const big = Array.from({ length: 5 }, () => ({ body: "x".repeat(100_000) }));

    const result = await enqueueJobs(big, { sqs: client, queueUrl, sleep: noWait });

    expect(result.sent).toBe(5);
    expect(
      sqs.calls("SendMessageBatch").map((c) => (c.body as { Entries: unknown[] }).Entries.length),
    ).toEqual([2, 2, 1]);
  });

  it("sends again only the entries SQS reported as failed", async () => {
    sqs.failBatchEntries("SendMessageBatch", ["m3", "m7"]);

    const result = await enqueueJobs(jobs(10), { sqs: client, queueUrl, sleep: noWait });

    const calls = sqs
      .calls("SendMessageBatch")
      .map((c) => (c.body as { Entries: { Id: string }[] }).Entries.map((e) => e.Id));
    expect(result).toEqual({ sent: 10, unsent: [] });
    expect(calls[1]).toEqual(["m3", "m7"]);
    expect(sqs.messages(QUEUE)).toHaveLength(10);
  });

  it("sends the whole batch again when the call itself fails", async () => {
    sqs.failNext("SendMessageBatch", { type: "InternalError", status: 500 });

    const result = await enqueueJobs(jobs(3), { sqs: client, queueUrl, sleep: noWait });

    expect(result.sent).toBe(3);
    expect(sqs.calls("SendMessageBatch")).toHaveLength(2);
  });

  it("returns what it could not send after the last attempt, with the reason", async () => {
    sqs.failNext("SendMessageBatch", { type: "InternalError", status: 500 }, 3);

    const result = await enqueueJobs(jobs(2), {
      sqs: client,
      queueUrl,
      sleep: noWait,
      maxAttempts: 3,
    });

    expect(result.sent).toBe(0);
    expect(result.unsent.map((u) => u.index)).toEqual([0, 1]);
    expect(result.unsent[0]?.reason).toMatch(/InternalError.*\(gave up after 3 attempts\)/);
  });

  it("passes per-message DelaySeconds and attributes", async () => {
    await enqueueJobs(
      [
        {
          body: "{}",
          delaySeconds: 90,
          attributes: { not_before: { DataType: "Number", StringValue: "1" } },
        },
      ],
      { sqs: client, queueUrl, sleep: noWait },
    );

    const [stored] = sqs.messages(QUEUE);
    expect(stored?.delaySeconds).toBe(90);
    expect(stored?.attributes.not_before).toEqual({ DataType: "Number", StringValue: "1" });
  });

  it("returns a message too large for SQS as unsent without sending it", async () => {
    const result = await enqueueJobs([{ body: "x".repeat(300_000) }], {
      sqs: client,
      queueUrl,
      sleep: noWait,
    });

    expect(result.unsent[0]?.reason).toMatch(/larger than 262144 bytes/);
    expect(sqs.calls("SendMessageBatch")).toHaveLength(0);
  });
});
