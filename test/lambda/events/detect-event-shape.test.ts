import { describe, expect, it } from "vitest";
import { detectEventShape } from "../../../lambda/events/detect-event-shape.js";
import { InvalidJobError } from "../../../lambda/outcome/errors.js";

const job = { owner: "acme", repo: "api", workflow_id: "nightly.yml", ref: "main" };
const sqsRecord = {
  messageId: "m-1",
  receiptHandle: "r-1",
  body: JSON.stringify(job),
  eventSource: "aws:sqs",
};
const eventBridge = {
  version: "0",
  id: "ev-1",
  "detail-type": "Dispatch Workflow",
  source: "com.acme.release",
  detail: job,
};

function errorOf(event: unknown): InvalidJobError {
  try {
    detectEventShape(event);
  } catch (error) {
    if (error instanceof InvalidJobError) return error;
    throw error;
  }
  throw new Error("expected an InvalidJobError");
}

describe("detectEventShape", () => {
  it("takes a plain object as the Scheduler's input, i.e. the job itself", () => {
    expect(detectEventShape(job)).toEqual({ kind: "scheduler", job });
  });

  it("takes the job from an EventBridge event's detail and keeps the event id", () => {
    expect(detectEventShape(eventBridge)).toEqual({ kind: "eventbridge", job, eventId: "ev-1" });
  });

  it("returns the records of an SQS batch", () => {
    expect(detectEventShape({ Records: [sqsRecord, sqsRecord] })).toEqual({
      kind: "sqs",
      records: [sqsRecord, sqsRecord],
    });
  });

  it.each([
    [{ ...eventBridge, "detail-type": "Scheduled Event", source: "aws.events", detail: {} }],
    [{ ...eventBridge, detail: null }],
  ])("rejects an EventBridge event whose detail carries no job: %j", (event) => {
    const error = errorOf(event);
    expect(error.field).toBe("detail");
    expect(error.message).toMatch(
      /EventBridge event '.+' from .+ carries no job in detail; give the rule an input .* or use EventBridge Scheduler/,
    );
  });

  it.each([
    ["a string", "hello", /got string/],
    ["null", null, /got null/],
    ["an array", [job], /got an array/],
    ["a Kinesis batch", { Records: [{ eventSource: "aws:kinesis" }] }, /record from aws:kinesis/],
    ["an empty batch", { Records: [] }, /got no records/],
  ])("rejects %s saying what it expected", (_name, event, got) => {
    const error = errorOf(event);
    expect(error.message).toMatch(/expected a job object .*an EventBridge event .*or an SQS batch/);
    expect(error.message).toMatch(got);
  });
});
