/** What a Lambda on-failure destination record says about a failed asynchronous invocation. */
export interface DestinationFailure {
  /** The event the failed invocation received (`requestPayload`) as JSON text: the job to send back. */
  readonly jobBody: string;
  /** `asynchronous invocation failed (RetriesExhausted, 3 attempts): errorType: errorMessage`. */
  readonly reason: string;
  /** The record's `timestamp`. */
  readonly failedAt: string | undefined;
  /** `condition`, `request_id`, `function_arn`, `approximate_invoke_count`, `function_error`, ... */
  readonly details: Readonly<Record<string, string | number>>;
}

type JsonObject = Record<string, unknown>;

function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function text(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}

function parseObject(body: string): JsonObject | undefined {
  try {
    const value: unknown = JSON.parse(body);
    return isObject(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

function reasonOf(context: JsonObject, response: JsonObject): string {
  const count = context.approximateInvokeCount;
  const attempts =
    typeof count === "number" ? `, ${count} ${count === 1 ? "attempt" : "attempts"}` : "";
  const head = `asynchronous invocation failed (${text(context.condition)}${attempts})`;
  const errorType = text(response.errorType);
  const errorMessage = text(response.errorMessage);
  const error =
    errorType && errorMessage ? `${errorType}: ${errorMessage}` : (errorType ?? errorMessage);
  return error ? `${head}: ${error}` : head;
}

/**
 * Reads `body` as the invocation record Lambda's on-failure destination sends to SQS (pure):
 * `{version, timestamp, requestContext: {requestId, functionArn, condition, approximateInvokeCount},
 * requestPayload, responseContext: {statusCode, executedVersion, functionError}, responsePayload:
 * {errorType, errorMessage, ...}}`; the response parts are missing when the function never ran
 * (`EventAgeExceeded`). Undefined when `body` is not such a record.
 */
export function readDestinationRecord(body: string): DestinationFailure | undefined {
  const record = parseObject(body);
  if (!record || !isObject(record.requestContext) || !("requestPayload" in record))
    return undefined;
  const context = record.requestContext;
  if (!text(context.condition)) return undefined;
  const responseContext = isObject(record.responseContext) ? record.responseContext : {};
  const response = isObject(record.responsePayload) ? record.responsePayload : {};
  const details: Record<string, string | number> = {};
  for (const [key, value] of [
    ["condition", context.condition],
    ["request_id", context.requestId],
    ["function_arn", context.functionArn],
    ["approximate_invoke_count", context.approximateInvokeCount],
    ["function_error", responseContext.functionError],
    ["executed_version", responseContext.executedVersion],
  ] as const) {
    if (typeof value === "string" || typeof value === "number") details[key] = value;
  }
  return {
    jobBody: JSON.stringify(record.requestPayload) ?? "null",
    reason: reasonOf(context, response),
    failedAt: text(record.timestamp),
    details,
  };
}
