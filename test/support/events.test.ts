import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import {
  eventBridgeEvent,
  loadSharedEvent,
  sampleEventsDirectory,
  schedulerPayload,
  sharedEventsDirectory,
  snsNotification,
  sqsEvent,
  sqsRecord,
} from "./events.js";

const job = { owner: "acme", repo: "api", workflow_id: "nightly.yml", ref: "main" };

describe("sqsRecord", () => {
  it("JSON-encodes the body and gives a Lambda-shaped record with a matching md5OfBody", () => {
    const record = sqsRecord(job);
    expect(JSON.parse(record.body)).toEqual(job);
    expect(record).toMatchObject({
      eventSource: "aws:sqs",
      eventSourceARN: "arn:aws:sqs:eu-central-1:111122223333:workflow-dispatch",
      attributes: { ApproximateReceiveCount: "1" },
    });
    expect(record.md5OfBody).toBe(createHash("md5").update(record.body).digest("hex"));
  });

  it("keeps a string body as is and merges attribute overrides", () => {
    const record = sqsRecord("not json", {
      messageId: "m-1",
      attributes: { ApproximateReceiveCount: "3" },
    });
    expect(record.body).toBe("not json");
    expect(record.messageId).toBe("m-1");
    expect(record.attributes).toMatchObject({
      ApproximateReceiveCount: "3",
      SenderId: expect.any(String),
    });
  });

  it("gives every record its own message id", () => {
    const event = sqsEvent(sqsRecord(job), sqsRecord(job));
    expect(event.Records).toHaveLength(2);
    expect(event.Records[0]?.messageId).not.toBe(event.Records[1]?.messageId);
  });
});

describe("schedulerPayload", () => {
  it("adds the scheduler block and substitutes every context keyword", () => {
    const payload = schedulerPayload(
      { ...job, inputs: { scheduled_time: "<aws.scheduler.scheduled-time>" } },
      {
        scheduleArn: "arn:aws:scheduler:eu-central-1:111122223333:schedule/default/x",
        executionId: "e-1",
      },
    );
    expect(payload).toEqual({
      ...job,
      inputs: { scheduled_time: "2026-11-24T09:00:00Z" },
      scheduler: {
        schedule_arn: "arn:aws:scheduler:eu-central-1:111122223333:schedule/default/x",
        scheduled_time: "2026-11-24T09:00:00Z",
        execution_id: "e-1",
        attempt_number: "1",
      },
    });
  });

  it("leaves the job without a scheduler block when withContext is false", () => {
    expect(schedulerPayload(job, { withContext: false })).toEqual(job);
  });
});

describe("eventBridgeEvent and snsNotification", () => {
  it("wraps a job as EventBridge detail", () => {
    const event = eventBridgeEvent(job, { source: "com.acme.audit" });
    expect(event).toMatchObject({
      version: "0",
      "detail-type": "Dispatch Workflow",
      source: "com.acme.audit",
      detail: job,
    });
  });

  it("wraps a job as an SNS notification whose Message is JSON", () => {
    const notification = snsNotification(job);
    expect(notification.Type).toBe("Notification");
    expect(JSON.parse(notification.Message ?? "")).toEqual(job);
  });
});

describe("loadSharedEvent", () => {
  it("reads a sample event with or without .json", () => {
    const batch = loadSharedEvent<{ Records: unknown[] }>("sqs-batch");
    expect(batch.Records).toHaveLength(3);
    expect(loadSharedEvent("scheduler-invoke.json")).toMatchObject({ owner: "acme", repo: "api" });
  });

  it("throws for a sample that does not exist", () => {
    expect(() => loadSharedEvent("nope")).toThrow(/ENOENT/);
  });

  it.skipIf(!existsSync(sharedEventsDirectory))(
    "keeps the repository's copies identical to every sample in ../shared/events",
    () => {
      const originals = readdirSync(sharedEventsDirectory).filter((f) => f.endsWith(".json"));
      expect(originals.length).toBeGreaterThan(0);
      for (const file of originals) {
        const copy = readFileSync(path.join(sampleEventsDirectory, file), "utf8");
        expect(copy, file).toBe(readFileSync(path.join(sharedEventsDirectory, file), "utf8"));
      }
    },
  );
});
