import { describe, expect, it } from "vitest";
import {
  type ClassifiedDeadLetter,
  classifyDeadLetter,
  DeadLetterKind,
} from "../../cli/classify-dead-letter.js";
import type { DeadLetterMessage } from "../../cli/dead-letter-messages.js";
import { destinationRecord, scheduledJob, schedulerAttributes } from "./dead-letter-fixtures.js";

const SENT_AT = "2027-01-04T09:05:00.000Z";

function message(body: string, attributes: Record<string, string> = {}): DeadLetterMessage {
  return {
    messageId: "m-1",
    receiptHandle: "r-1",
    body,
    attributes,
    receiveCount: 1,
    sentAt: SENT_AT,
  };
}

const job = { owner: "acme", repo: "api", workflow_id: "nightly.yml", ref: "main" };
const scheduled = scheduledJob("web");

/** Attributes exactly as the function's `parkInDeadLetterQueue` writes them. */
const parkedAttributes = {
  reason: "workflow nightly.yml in acme/api not found (404)",
  failure_class: "permanent",
  error_name: "PermanentDispatchError",
  status: "404",
  source: "sqs",
  repository: "acme/api",
  workflow_id: "nightly.yml",
  attempts: "1",
  failed_at: "2027-01-01T09:00:00.000Z",
};

type Expected = Omit<ClassifiedDeadLetter, "message" | "details"> & {
  readonly details?: Record<string, string | number>;
};

describe("classifyDeadLetter", () => {
  it.each<[string, DeadLetterMessage, Expected]>([
    [
      "a job the function parked",
      message(JSON.stringify(job), parkedAttributes),
      {
        kind: DeadLetterKind.Parked,
        jobBody: JSON.stringify(job),
        reason: "workflow nightly.yml in acme/api not found (404)",
        repository: "acme/api",
        workflowId: "nightly.yml",
        failedAt: "2027-01-01T09:00:00.000Z",
        details: {},
      },
    ],
    [
      "a firing Scheduler gave up on after its retries",
      message(JSON.stringify(scheduled), schedulerAttributes("web")),
      {
        kind: DeadLetterKind.Scheduler,
        jobBody: JSON.stringify(scheduled),
        reason:
          "EventBridge Scheduler gave up after 185 retries (MaximumRetryAttempts): TooManyRequestsException: Rate Exceeded.",
        repository: "acme/web",
        workflowId: "nightly.yml",
        failedAt: SENT_AT,
        details: {
          error_code: "TooManyRequestsException",
          error_message: "Rate Exceeded.",
          execution_id: "c1a4e5d2-3b6f-4a8e-9d0c-7e2f1b3a5c6d",
          exhausted_retry_condition: "MaximumRetryAttempts",
          is_payload_truncated: "false",
          retry_attempts: "185",
          scheduled_time: "2027-01-04T09:00:00Z",
          schedule_arn:
            "arn:aws:scheduler:eu-central-1:111122223333:schedule/workflow-dispatch/nightly-web",
          target_arn: "arn:aws:lambda:eu-central-1:111122223333:function:workflow-dispatch",
        },
      },
    ],
    [
      "a firing Scheduler could not deliver at all (a permanent error, no retry condition)",
      message(
        JSON.stringify(scheduled),
        schedulerAttributes("web", {
          ERROR_CODE: "AccessDeniedException",
          ERROR_MESSAGE: "User is not authorized to perform: lambda:InvokeFunction",
          EXHAUSTED_RETRY_CONDITION: undefined,
          RETRY_ATTEMPTS: "0",
        }),
      ),
      {
        kind: DeadLetterKind.Scheduler,
        jobBody: JSON.stringify(scheduled),
        reason:
          "EventBridge Scheduler could not invoke the function: AccessDeniedException: User is not authorized to perform: lambda:InvokeFunction",
        repository: "acme/web",
        workflowId: "nightly.yml",
        failedAt: SENT_AT,
      },
    ],
    [
      "Lambda's destination record of an invocation that failed three times",
      message(JSON.stringify(destinationRecord(scheduled))),
      {
        kind: DeadLetterKind.LambdaDestination,
        jobBody: JSON.stringify(scheduled),
        reason:
          "asynchronous invocation failed (RetriesExhausted, 3 attempts): QueueDoesNotExist: The specified queue does not exist.",
        repository: "acme/web",
        workflowId: "nightly.yml",
        failedAt: "2027-01-04T09:03:12.345Z",
        details: {
          condition: "RetriesExhausted",
          request_id: "8ea123e4-1db7-4aca-ad10-d9ca1234c1fd",
          function_arn:
            "arn:aws:lambda:eu-central-1:111122223333:function:workflow-dispatch:$LATEST",
          approximate_invoke_count: 3,
          function_error: "Unhandled",
          executed_version: "$LATEST",
        },
      },
    ],
    [
      "a destination record of an event too old to run, without a response",
      message(
        JSON.stringify(
          destinationRecord(job, {
            condition: "EventAgeExceeded",
            invokeCount: 1,
            withoutResponse: true,
          }),
        ),
      ),
      {
        kind: DeadLetterKind.LambdaDestination,
        jobBody: JSON.stringify(job),
        reason: "asynchronous invocation failed (EventAgeExceeded, 1 attempt)",
        repository: "acme/api",
        workflowId: "nightly.yml",
        failedAt: "2027-01-04T09:03:12.345Z",
      },
    ],
    [
      "a destination record of an EventBridge event carrying the job",
      message(
        JSON.stringify(
          destinationRecord({ "detail-type": "dispatch", source: "acme.ci", detail: job }),
        ),
      ),
      {
        kind: DeadLetterKind.LambdaDestination,
        jobBody: JSON.stringify({ "detail-type": "dispatch", source: "acme.ci", detail: job }),
        reason:
          "asynchronous invocation failed (RetriesExhausted, 3 attempts): QueueDoesNotExist: The specified queue does not exist.",
        repository: "acme/api",
        workflowId: "nightly.yml",
        failedAt: "2027-01-04T09:03:12.345Z",
      },
    ],
    [
      "a destination record an earlier redrive sent back whole, which the function parked as invalid",
      message(JSON.stringify(destinationRecord(scheduled)), {
        reason: "body: unknown keys version, timestamp, requestContext",
        failure_class: "permanent",
        source: "sqs",
        failed_at: "2027-01-05T10:00:00.000Z",
      }),
      {
        kind: DeadLetterKind.Parked,
        jobBody: JSON.stringify(scheduled),
        reason: "body: unknown keys version, timestamp, requestContext",
        repository: "acme/web",
        workflowId: "nightly.yml",
        failedAt: "2027-01-05T10:00:00.000Z",
      },
    ],
    [
      "a job the queue's redrive policy moved, with no attributes",
      message(JSON.stringify(job)),
      {
        kind: DeadLetterKind.Unrecorded,
        jobBody: JSON.stringify(job),
        reason: "(no reason recorded)",
        repository: "acme/api",
        workflowId: "nightly.yml",
        failedAt: SENT_AT,
      },
    ],
    [
      "a body that is not JSON",
      message("not json"),
      {
        kind: DeadLetterKind.Unrecorded,
        jobBody: "not json",
        reason: "(no reason recorded)",
        repository: undefined,
        workflowId: undefined,
        failedAt: SENT_AT,
      },
    ],
  ])("reads %s", (_name, input, expected) => {
    const { details, ...rest } = expected;
    const classified = classifyDeadLetter(input);
    expect(classified).toMatchObject({ ...rest, message: input });
    expect(classified.repository).toBe(expected.repository);
    if (details) expect(classified.details).toEqual(details);
  });

  it("sends back a destination record's job, never the record", () => {
    const classified = classifyDeadLetter(message(JSON.stringify(destinationRecord(scheduled))));
    expect(JSON.parse(classified.jobBody)).toEqual(scheduled);
    expect(classified.jobBody).not.toContain("requestContext");
  });

  it("prefers the function's reason over Scheduler-like attributes", () => {
    const classified = classifyDeadLetter(
      message(JSON.stringify(job), { ...schedulerAttributes("api"), ...parkedAttributes }),
    );
    expect(classified.kind).toBe(DeadLetterKind.Parked);
  });
});
