import { createHash, randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Message } from "@aws-sdk/client-sqs";
import type { EventBridgeEvent, SQSEvent, SQSRecord, SQSRecordAttributes } from "aws-lambda";

/** The repository root (this file lives in `test/support/`). */
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

const REGION = "eu-central-1";
const ACCOUNT_ID = "111122223333";
const DEFAULT_SCHEDULE_ARN = `arn:aws:scheduler:${REGION}:${ACCOUNT_ID}:schedule/default/nightly`;

/** An SQS record from the factory: always `eventSource: "aws:sqs"`. */
export type StandInSqsRecord = SQSRecord & { eventSource: "aws:sqs" };

/**
 * Fields of an SQS record to override; `attributes` are merged into the defaults.
 * For a foreign record, spread one: `{ ...sqsRecord(job), eventSource: "aws:kinesis" }`.
 */
export type SqsRecordOverrides = Partial<Omit<SQSRecord, "attributes" | "eventSource">> & {
  attributes?: Partial<SQSRecordAttributes>;
};

/**
 * One SQS record as Lambda delivers it from `workflow-dispatch`. A string body is used as is;
 * anything else is JSON-encoded. `md5OfBody` matches the final body.
 */
export function sqsRecord(body: unknown, overrides: SqsRecordOverrides = {}): StandInSqsRecord {
  const text = typeof body === "string" ? body : JSON.stringify(body);
  const sentAt = Date.now();
  const { attributes, ...rest } = overrides;
  const finalBody = rest.body ?? text;
  return {
    messageId: randomUUID(),
    receiptHandle: `AQEB${randomUUID().replaceAll("-", "")}`,
    body: finalBody,
    attributes: {
      ApproximateReceiveCount: "1",
      SentTimestamp: String(sentAt),
      SenderId: "AIDAIENQZJOLO23YVJ4VO",
      ApproximateFirstReceiveTimestamp: String(sentAt + 10),
      ...attributes,
    },
    messageAttributes: {},
    md5OfBody: createHash("md5").update(finalBody, "utf8").digest("hex"),
    eventSourceARN: `arn:aws:sqs:${REGION}:${ACCOUNT_ID}:workflow-dispatch`,
    awsRegion: REGION,
    ...rest,
    eventSource: "aws:sqs",
  };
}

/** An SQS batch event of the given records (assignable to `SQSEvent`). */
export function sqsEvent<R extends SQSRecord>(...records: R[]): SQSEvent & { Records: R[] } {
  return { Records: records };
}

/** Scheduler context of one delivery; defaults describe a 09:00 UTC nightly schedule, first attempt. */
export interface SchedulerDelivery {
  /** @default "arn:aws:scheduler:eu-central-1:111122223333:schedule/default/nightly" */
  scheduleArn?: string;
  /** @default "2026-11-24T09:00:00Z" */
  scheduledTime?: string;
  /** @default a random UUID (Scheduler makes a new one for every delivery attempt) */
  executionId?: string;
  /** @default 1 */
  attemptNumber?: number;
  /**
   * Add the `scheduler` block the stack puts into every schedule's input (unless the job has one).
   * @default true
   */
  withContext?: boolean;
}

function substitute(value: unknown, context: Record<string, string>): unknown {
  if (typeof value === "string") {
    return value.replace(/<aws\.scheduler\.[a-z-]+>/g, (keyword) => context[keyword] ?? keyword);
  }
  if (Array.isArray(value)) return value.map((item) => substitute(item, context));
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substitute(v, context)]));
  }
  return value;
}

/**
 * What EventBridge Scheduler passes when it invokes the function: the schedule's input (the job)
 * with every `<aws.scheduler.*>` keyword substituted, including in `inputs` and the `scheduler` block.
 */
export function schedulerPayload(job: object, delivery: SchedulerDelivery = {}): unknown {
  const context: Record<string, string> = {
    "<aws.scheduler.schedule-arn>": delivery.scheduleArn ?? DEFAULT_SCHEDULE_ARN,
    "<aws.scheduler.scheduled-time>": delivery.scheduledTime ?? "2026-11-24T09:00:00Z",
    "<aws.scheduler.execution-id>": delivery.executionId ?? randomUUID(),
    "<aws.scheduler.attempt-number>": String(delivery.attemptNumber ?? 1),
  };
  const withContext =
    (delivery.withContext ?? true) && !("scheduler" in job)
      ? {
          ...job,
          scheduler: {
            schedule_arn: "<aws.scheduler.schedule-arn>",
            scheduled_time: "<aws.scheduler.scheduled-time>",
            execution_id: "<aws.scheduler.execution-id>",
            attempt_number: "<aws.scheduler.attempt-number>",
          },
        }
      : job;
  return substitute(withContext, context);
}

/** An EventBridge event (rule target or SQS body) whose `detail` is the job. */
export function eventBridgeEvent<T>(
  detail: T,
  overrides: Partial<EventBridgeEvent<string, T>> = {},
): EventBridgeEvent<string, T> {
  return {
    version: "0",
    id: randomUUID(),
    "detail-type": "Dispatch Workflow",
    source: "com.acme.release",
    account: ACCOUNT_ID,
    time: new Date().toISOString().replace(/\.\d{3}Z$/, "Z"),
    region: REGION,
    resources: [],
    detail,
    ...overrides,
  };
}

/** An SNS notification as SQS receives it without raw message delivery; `Message` is JSON-encoded unless a string. */
export function snsNotification(message: unknown): Record<string, string> {
  return {
    Type: "Notification",
    MessageId: randomUUID(),
    TopicArn: `arn:aws:sns:${REGION}:${ACCOUNT_ID}:dispatch`,
    Message: typeof message === "string" ? message : JSON.stringify(message),
    Timestamp: new Date().toISOString(),
    SignatureVersion: "1",
    Signature: "EXAMPLE",
    SigningCertURL: "EXAMPLE",
    UnsubscribeURL: "EXAMPLE",
  };
}

/**
 * The design's sample events, copied into the repository so a clone works on its own;
 * `test/support/events.test.ts` checks the copies against `../shared/events` wherever that exists.
 */
export const sampleEventsDirectory = path.resolve(repoRoot, "test/fixtures/events");

/** Where the design keeps the originals: `../shared/events`, beside the repository. */
export const sharedEventsDirectory = path.resolve(repoRoot, "../shared/events");

/** Reads a sample event, `test/fixtures/events/NAME.json` (`.json` optional). */
export function loadSharedEvent<T = unknown>(name: string): T {
  const file = name.endsWith(".json") ? name : `${name}.json`;
  return JSON.parse(readFileSync(path.join(sampleEventsDirectory, file), "utf8")) as T;
}

/**
 * The record Lambda's event source mapping builds from a message received with
 * `MessageSystemAttributeNames: ["All"]` and `MessageAttributeNames: ["All"]`.
 */
export function sqsRecordFromMessage(m: Message, queueArn: string): SQSRecord {
  const system = m.Attributes ?? {};
  return {
    messageId: m.MessageId ?? "",
    receiptHandle: m.ReceiptHandle ?? "",
    body: m.Body ?? "",
    attributes: {
      ApproximateReceiveCount: system.ApproximateReceiveCount ?? "1",
      SentTimestamp: system.SentTimestamp ?? "0",
      SenderId: system.SenderId ?? "AIDAEXAMPLE",
      ApproximateFirstReceiveTimestamp: system.ApproximateFirstReceiveTimestamp ?? "0",
    },
    messageAttributes: Object.fromEntries(
      Object.entries(m.MessageAttributes ?? {}).map(([k, v]) => [
        k,
        { stringValue: v.StringValue, dataType: v.DataType ?? "String" },
      ]),
    ),
    md5OfBody: m.MD5OfBody ?? "",
    eventSource: "aws:sqs",
    eventSourceARN: queueArn,
    awsRegion: REGION,
  };
}
