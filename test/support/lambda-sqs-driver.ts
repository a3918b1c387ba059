import { randomUUID } from "node:crypto";
import { DeleteMessageBatchCommand, ReceiveMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from "aws-lambda";
import { sqsRecordFromMessage } from "./events.js";
import type { ScaledClock } from "./scaled-clock.js";
import type { SqsStandIn } from "./sqs-stand-in.js";

/** A handler as the driver invokes it (the dispatcher's `createHandler(...)` result fits). */
export type SqsBatchHandler = (event: SQSEvent, context: Context) => Promise<unknown>;

/** How the driver runs. */
export interface LambdaSqsDriverOptions {
  readonly sqs: SqsStandIn;
  /** @default "workflow-dispatch" */
  readonly queue?: string;
  /** One handler per concurrent container; each polls on its own, like Lambda's pollers. */
  readonly handlers: readonly SqsBatchHandler[];
  /** Extra containers that process concurrent duplicate deliveries. @default none */
  readonly duplicateHandlers?: readonly SqsBatchHandler[];
  /** Skips idle spells on this clock when every container waits for a delayed message. */
  readonly clock?: ScaledClock;
  /** Stop once the queue is empty and this is true. @default () => true */
  readonly done?: () => boolean;
  /** Wall milliseconds to wait after an empty receive. @default 2 */
  readonly idleWaitMs?: number;
  /** Give up after this many wall milliseconds. @default 120000 */
  readonly maxWallMs?: number;
  /** Messages up to this many per batch. @default 10 */
  readonly batchSize?: number;
  /** True: keep a successfully processed message (SQS redelivers it after its visibility timeout). */
  readonly redeliver?: (record: SQSRecord) => boolean;
  /** True: hand the record to a second container at the same time (a concurrent duplicate delivery). */
  readonly duplicate?: (record: SQSRecord) => boolean;
}

/** What a run did. */
export interface DriverStats {
  invocations: number;
  records: number;
  redelivered: number;
  duplicated: number;
  wallMs: number;
  skippedClockMs: number;
  timedOut: boolean;
}

function lambdaContext(): Context {
  const requestId = randomUUID();
  return {
    awsRequestId: requestId,
    callbackWaitsForEmptyEventLoop: false,
    functionName: "workflow-dispatch",
    functionVersion: "$LATEST",
    invokedFunctionArn: "arn:aws:lambda:eu-central-1:111122223333:function:workflow-dispatch",
    memoryLimitInMB: "512",
    logGroupName: "/aws/lambda/workflow-dispatch",
    logStreamName: requestId,
    getRemainingTimeInMillis: () => 60_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Lambda's SQS event source mapping, for tests and benchmarks: each container polls the stand-in
 * queue with the real SQS client, invokes its handler with the batch as an SQS event, and deletes the
 * records not named in `batchItemFailures`. Visibility and delays are the stand-in's; when every
 * container is idle and only delayed messages remain, the driver jumps the scaled clock to the next one.
 */
export class LambdaSqsDriver {
  private busy = 0;
  private readonly client: SQSClient;
  private readonly queueUrl: string;
  private readonly queue: string;
  private duplicateTurn = 0;
  private readonly stats: DriverStats = {
    invocations: 0,
    records: 0,
    redelivered: 0,
    duplicated: 0,
    wallMs: 0,
    skippedClockMs: 0,
    timedOut: false,
  };

  constructor(private readonly options: LambdaSqsDriverOptions) {
    this.queue = options.queue ?? "workflow-dispatch";
    this.queueUrl = options.sqs.queueUrl(this.queue);
    this.client = new SQSClient({
      endpoint: options.sqs.url,
      region: "eu-central-1",
      credentials: { accessKeyId: "AKIDSTANDIN", secretAccessKey: "standin-secret" },
    });
  }

  /** Runs until the queue is empty and `done()` holds (or the wall-time limit passes). */
  async run(): Promise<DriverStats> {
    const started = performance.now();
    const skippedBefore = this.options.clock?.skippedMs ?? 0;
    const deadline = started + (this.options.maxWallMs ?? 120_000);
    let stop = false;
    const poll = async (handler: SqsBatchHandler) => {
      while (!stop) {
        if (performance.now() > deadline) {
          this.stats.timedOut = true;
          stop = true;
          return;
        }
        this.busy += 1;
        let processed = false;
        try {
          processed = await this.pollOnce(handler);
        } finally {
          this.busy -= 1;
        }
        if (processed) continue;
        if (this.busy === 0 && this.idle()) {
          stop = true;
          return;
        }
        await sleep(this.options.idleWaitMs ?? 2);
      }
    };
    await Promise.all(this.options.handlers.map((handler) => poll(handler)));
    this.client.destroy();
    this.stats.wallMs = Math.round(performance.now() - started);
    this.stats.skippedClockMs = (this.options.clock?.skippedMs ?? 0) - skippedBefore;
    return { ...this.stats };
  }

  /** True when the run is over; otherwise jumps the clock over an idle spell if it can. */
  private idle(): boolean {
    const messages = this.options.sqs.messages(this.queue);
    if (messages.length === 0) return this.options.done?.() ?? true;
    const { clock } = this.options;
    if (!clock) return false;
    const next = Math.min(...messages.map((m) => m.visibleAt));
    if (next - clock.now() > 50 * clock.scale) clock.skipTo(next);
    return false;
  }

  private async pollOnce(handler: SqsBatchHandler): Promise<boolean> {
    const answer = await this.client.send(
      new ReceiveMessageCommand({
        QueueUrl: this.queueUrl,
        MaxNumberOfMessages: this.options.batchSize ?? 10,
        WaitTimeSeconds: 0,
        MessageSystemAttributeNames: ["All"],
        MessageAttributeNames: ["All"],
      }),
    );
    const messages = answer.Messages ?? [];
    if (messages.length === 0) return false;
    const arn = this.options.sqs.queueArn(this.queue);
    const records = messages.map((m) => sqsRecordFromMessage(m, arn));
    const twins = this.duplicatesOf(records);
    this.stats.invocations += 1;
    this.stats.records += records.length;
    const [result] = await Promise.all([
      handler({ Records: records }, lambdaContext()) as Promise<SQSBatchResponse>,
      ...twins.map(([twin, batch]) => twin({ Records: batch }, lambdaContext())),
    ]);
    const failed = new Set((result?.batchItemFailures ?? []).map((f) => f.itemIdentifier));
    const done = records.filter((r) => {
      if (failed.has(r.messageId)) return false;
      if (this.options.redeliver?.(r)) {
        this.stats.redelivered += 1;
        return false;
      }
      return true;
    });
    if (done.length > 0) {
      await this.client.send(
        new DeleteMessageBatchCommand({
          QueueUrl: this.queueUrl,
          Entries: done.map((r, i) => ({ Id: `d${i}`, ReceiptHandle: r.receiptHandle })),
        }),
      );
    }
    return true;
  }

  private duplicatesOf(records: SQSRecord[]): [SqsBatchHandler, SQSRecord[]][] {
    const extra = this.options.duplicateHandlers ?? [];
    const picked = records.filter((r) => this.options.duplicate?.(r));
    if (picked.length === 0 || extra.length === 0) return [];
    this.stats.duplicated += picked.length;
    const twin = extra[this.duplicateTurn++ % extra.length];
    return twin ? [[twin, picked]] : [];
  }
}
