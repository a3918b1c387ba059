import { describe, expect, it } from "vitest";
import { unwrapSqsBody } from "../../../lambda/events/unwrap-sqs-body.js";
import { InvalidJobError } from "../../../lambda/outcome/errors.js";

const job = { owner: "acme", repo: "docs", workflow_id: "audit.yml", ref: "main" };
const eventBridge = { id: "ev-9", "detail-type": "Dispatch Workflow", source: "x", detail: job };
const sns = (message: unknown) => ({
  Type: "Notification",
  MessageId: "sns-1",
  Message: typeof message === "string" ? message : JSON.stringify(message),
});

describe("unwrapSqsBody", () => {
  it.each([
    ["a plain job", job, { job, envelope: "job", envelopeId: undefined }],
    ["an EventBridge event", eventBridge, { job, envelope: "eventbridge", envelopeId: "ev-9" }],
    ["an SNS notification", sns(job), { job, envelope: "sns", envelopeId: "sns-1" }],
    [
      "an SNS notification of an EventBridge event",
      sns(eventBridge),
      { job, envelope: "sns", envelopeId: "sns-1" },
    ],
  ])("unwraps %s", (_name, body, expected) => {
    expect(unwrapSqsBody(JSON.stringify(body))).toEqual(expected);
  });

  it.each([
    ["a body that is not JSON", "owner=acme", "body", /body: is not JSON \("owner=acme"\)/],
    [
      "an SNS message that is not JSON",
      JSON.stringify(sns("{oops")),
      "Message",
      /Message: is not JSON/,
    ],
    [
      "an SNS notification without text",
      JSON.stringify({ Type: "Notification", Message: 42 }),
      "Message",
      /carries no job text/,
    ],
    [
      "an EventBridge event without a job",
      JSON.stringify({ ...eventBridge, detail: {} }),
      "detail",
      /carries no job in detail/,
    ],
  ])("rejects %s naming the field", (_name, body, field, message) => {
    let caught: unknown;
    try {
      unwrapSqsBody(body);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(InvalidJobError);
    expect((caught as InvalidJobError).field).toBe(field);
    expect((caught as InvalidJobError).message).toMatch(message);
  });

  it("leaves validation of the job to the schema: any JSON value comes back as the job", () => {
    expect(unwrapSqsBody("[1,2]")).toEqual({ job: [1, 2], envelope: "job", envelopeId: undefined });
  });
});
