import { CliError, failedError, unreachableError, usageError } from "./cli-error.js";

const NETWORK_CODES = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "ECONNRESET",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EPIPE",
]);
const CREDENTIAL_ERRORS = new Set([
  "AccessDenied",
  "AccessDeniedException",
  "InvalidClientTokenId",
  "UnrecognizedClientException",
  "ExpiredToken",
  "ExpiredTokenException",
  "SignatureDoesNotMatch",
  "IncompleteSignature",
]);
const MISSING_QUEUE = new Set([
  "QueueDoesNotExist",
  "AWS.SimpleQueueService.NonExistentQueue",
  "NonExistentQueue",
]);

interface AwsErrorShape {
  readonly name?: string;
  readonly code?: string;
  readonly message?: string;
  readonly $metadata?: { readonly httpStatusCode?: number };
}

/** What an AWS call was doing, for the message: the service and the variable that points at it. */
export interface AwsCallContext {
  /** `SQS` or `Secrets Manager`. */
  readonly service: string;
  /** The standard endpoint override, e.g. `AWS_ENDPOINT_URL_SQS`. */
  readonly endpointVariable: string;
  /** The queue involved, named when it does not exist. */
  readonly queueUrl?: string;
  /** How the queue URL was given (`--queue-url or DISPATCH_QUEUE_URL`). */
  readonly queueOption?: string;
}

/**
 * Turns an AWS SDK error into a one-line {@link CliError}: missing region or credentials and
 * unreachable endpoints exit 3, a queue that does not exist exits 2, anything else exits 1.
 * AWS messages never carry secret values, so they are quoted as they are.
 */
export function describeAwsFailure(error: unknown, context: AwsCallContext): CliError {
  if (error instanceof CliError) return error;
  const e = (typeof error === "object" && error !== null ? error : {}) as AwsErrorShape;
  const name = e.name ?? "Error";
  const message = e.message ?? String(error);
  if (name === "CredentialsProviderError" || /Could not load credentials/i.test(message)) {
    return unreachableError(
      "AWS credentials not found: set AWS_PROFILE (after `aws sso login`) or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY",
      error,
    );
  }
  const badRegion = /Region not accepted: region="([^"]*)"/i.exec(message);
  if (/Region is missing/i.test(message) || badRegion?.[1] === "") {
    return unreachableError("AWS region is not set: pass --region or set AWS_REGION", error);
  }
  if (badRegion) {
    return unreachableError(
      `AWS region "${badRegion[1]}" is not a region name; pass --region or set AWS_REGION, e.g. eu-central-1`,
      error,
    );
  }
  if ((e.code && NETWORK_CODES.has(e.code)) || name === "TimeoutError") {
    const endpoint = process.env[context.endpointVariable];
    return unreachableError(
      `cannot reach ${context.service}${endpoint ? ` at ${endpoint}` : ""}: ${e.code ?? name} (${message}); check ${context.endpointVariable}, AWS_REGION and your network`,
      error,
    );
  }
  if (CREDENTIAL_ERRORS.has(name)) {
    return unreachableError(
      `${context.service} refused the AWS credentials: ${name}: ${message}`,
      error,
    );
  }
  if (MISSING_QUEUE.has(name)) {
    return usageError(
      `queue ${context.queueUrl ?? ""} does not exist${context.queueOption ? `; check ${context.queueOption}` : ""}`,
    );
  }
  const status = e.$metadata?.httpStatusCode;
  if (status !== undefined && status >= 500) {
    return unreachableError(
      `${context.service} failed with ${status}: ${name}: ${message}; try again`,
      error,
    );
  }
  return failedError(`${context.service} ${name}: ${message}`);
}
