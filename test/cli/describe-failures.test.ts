import { describe, expect, it } from "vitest";
import { describeAwsFailure } from "../../cli/describe-aws-failure.js";
import { describeDispatchFailure } from "../../cli/describe-dispatch-failure.js";
import { ExitCode } from "../../cli/exit-code.js";
import {
  PermanentDispatchError,
  RateLimitedDispatchError,
  RetryableDispatchError,
} from "../../lambda/outcome/errors.js";

const sqs = {
  service: "SQS",
  endpointVariable: "AWS_ENDPOINT_URL_SQS",
  queueUrl: "https://q",
  queueOption: "--queue-url",
};

function named(name: string, message: string, extra: object = {}): Error {
  return Object.assign(new Error(message), { name, ...extra });
}

describe("describeAwsFailure", () => {
  it.each([
    [
      named("CredentialsProviderError", "Could not load credentials from any providers"),
      ExitCode.Unreachable,
      "AWS credentials not found",
    ],
    [new Error("Region is missing"), ExitCode.Unreachable, "AWS region is not set"],
    [
      named("Error", "connect ECONNREFUSED", { code: "ECONNREFUSED" }),
      ExitCode.Unreachable,
      "cannot reach SQS",
    ],
    [
      named("InvalidClientTokenId", "bad key"),
      ExitCode.Unreachable,
      "SQS refused the AWS credentials",
    ],
    [
      named("QueueDoesNotExist", "gone"),
      ExitCode.Usage,
      "queue https://q does not exist; check --queue-url",
    ],
    [
      named("InternalError", "boom", { $metadata: { httpStatusCode: 500 } }),
      ExitCode.Unreachable,
      "SQS failed with 500",
    ],
    [
      named("InvalidParameterValue", "nope", { $metadata: { httpStatusCode: 400 } }),
      ExitCode.Failed,
      "SQS InvalidParameterValue: nope",
    ],
  ])("maps %s to exit code %i", (error, code, message) => {
    const failure = describeAwsFailure(error, sqs);
    expect(failure.exitCode).toBe(code);
    expect(failure.message).toContain(message);
  });
});

describe("describeDispatchFailure", () => {
  it.each([
    [new PermanentDispatchError("not found (404)", { status: 404 }), "dispatch", ExitCode.Failed],
    [
      new PermanentDispatchError("rejected (401)", { status: 401 }),
      "dispatch",
      ExitCode.Unreachable,
    ],
    [
      new PermanentDispatchError("secret not found", { status: 400 }),
      "token",
      ExitCode.Unreachable,
    ],
    [
      new RetryableDispatchError("GitHub answered 502", { ambiguous: true, status: 502 }),
      "dispatch",
      ExitCode.Unreachable,
    ],
    [
      new RateLimitedDispatchError("rate limit", { retryAfterSeconds: 30, status: 429 }),
      "dispatch",
      ExitCode.Failed,
    ],
  ] as const)("maps %s during %s to exit code %i", (error, step, code) => {
    expect(describeDispatchFailure(error, step).exitCode).toBe(code);
  });
});
