import type { ServerResponse } from "node:http";
import { type Item, ValidationError } from "./dynamodb-values.js";
import { sendJson } from "./stand-in-server.js";

/** An error the DynamoDB stand-in answers with: the shape name (`__type`), message, status and item. */
export class DynamoDbError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status = 400,
    /** The old item a failed condition check returns with `ReturnValuesOnConditionCheckFailure`. */
    readonly item?: Item,
  ) {
    super(message);
  }
}

/**
 * Sends `error` as DynamoDB's JSON 1.0 error body: a {@link DynamoDbError} as it is, a
 * `ValidationError` as `ValidationException` (400), anything else as `InternalServerError` (500).
 */
export function sendDynamoDbError(response: ServerResponse, error: unknown): void {
  const failure =
    error instanceof DynamoDbError
      ? error
      : error instanceof ValidationError
        ? new DynamoDbError("ValidationException", error.message)
        : new DynamoDbError("InternalServerError", String(error), 500);
  sendJson(
    response,
    failure.status,
    {
      __type: `com.amazonaws.dynamodb.v20120810#${failure.type}`,
      message: failure.message,
      ...(failure.item ? { Item: failure.item } : {}),
    },
    {},
    "application/x-amz-json-1.0",
  );
}
