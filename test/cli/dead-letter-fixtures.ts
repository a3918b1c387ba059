/**
 * Dead-letter messages as the three writers shape them: the function's own `parkInDeadLetterQueue`
 * (see test/cli/commands/dlq.test.ts), EventBridge Scheduler's dead-letter event, and Lambda's
 * on-failure destination record. Shapes from the Scheduler user guide ("Configuring a dead-letter
 * queue") and the Lambda destinations documentation (invocation record).
 */

/** A scheduled job as the stack's Scheduler target input renders it (context keywords filled in). */
export function scheduledJob(repo: string, scheduledTime = "2027-01-04T09:00:00Z") {
  return {
    owner: "acme",
    repo,
    workflow_id: "nightly.yml",
    ref: "main",
    inputs: { environment: "staging" },
    scheduler: {
      schedule_arn: `arn:aws:scheduler:eu-central-1:111122223333:schedule/workflow-dispatch/nightly-${repo}`,
      scheduled_time: scheduledTime,
      execution_id: "c1a4e5d2-3b6f-4a8e-9d0c-7e2f1b3a5c6d",
      attempt_number: "1",
    },
  };
}

/** The string message attributes EventBridge Scheduler sets on a firing it could not deliver. */
export function schedulerAttributes(
  repo: string,
  overrides: Record<string, string | undefined> = {},
): Record<string, string> {
  const attributes: Record<string, string | undefined> = {
    ERROR_CODE: "TooManyRequestsException",
    ERROR_MESSAGE: "Rate Exceeded.",
    EXECUTION_ID: "c1a4e5d2-3b6f-4a8e-9d0c-7e2f1b3a5c6d",
    EXHAUSTED_RETRY_CONDITION: "MaximumRetryAttempts",
    IS_PAYLOAD_TRUNCATED: "false",
    RETRY_ATTEMPTS: "185",
    SCHEDULED_TIME: "2027-01-04T09:00:00Z",
    SCHEDULE_ARN: `arn:aws:scheduler:eu-central-1:111122223333:schedule/workflow-dispatch/nightly-${repo}`,
    TARGET_ARN: "arn:aws:lambda:eu-central-1:111122223333:function:workflow-dispatch",
    ...overrides,
  };
  return Object.fromEntries(
    Object.entries(attributes).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
}

/** Lambda's on-failure destination record for an asynchronous invocation with `payload`. */
export function destinationRecord(
  payload: unknown,
  overrides: {
    readonly condition?: string;
    readonly invokeCount?: number;
    readonly requestId?: string;
    readonly responsePayload?: unknown;
    readonly withoutResponse?: boolean;
  } = {},
): Record<string, unknown> {
  const requestId = overrides.requestId ?? "8ea123e4-1db7-4aca-ad10-d9ca1234c1fd";
  return {
    version: "1.0",
    timestamp: "2027-01-04T09:03:12.345Z",
    requestContext: {
      requestId,
      functionArn: "arn:aws:lambda:eu-central-1:111122223333:function:workflow-dispatch:$LATEST",
      condition: overrides.condition ?? "RetriesExhausted",
      approximateInvokeCount: overrides.invokeCount ?? 3,
    },
    requestPayload: payload,
    ...(overrides.withoutResponse
      ? {}
      : {
          responseContext: {
            statusCode: 200,
            executedVersion: "$LATEST",
            functionError: "Unhandled",
          },
          responsePayload: overrides.responsePayload ?? {
            errorType: "QueueDoesNotExist",
            errorMessage: "The specified queue does not exist.",
            trace: ["QueueDoesNotExist: The specified queue does not exist.", "    at ..."],
          },
        }),
  };
}
