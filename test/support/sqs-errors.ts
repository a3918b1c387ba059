/**
 * SQS's modelled errors: the AWS query error code (what `x-amzn-query-error` names and what older
 * SDKs call the error) -> the JSON shape name (`__type`, the class the v3 SDK throws) and status.
 * Taken from the `awsQueryError` traits of @aws-sdk/client-sqs.
 */
const MODELLED: Record<string, { shape: string; status: number }> = {
  "AWS.SimpleQueueService.BatchEntryIdsNotDistinct": {
    shape: "BatchEntryIdsNotDistinct",
    status: 400,
  },
  "AWS.SimpleQueueService.BatchRequestTooLong": { shape: "BatchRequestTooLong", status: 400 },
  "AWS.SimpleQueueService.EmptyBatchRequest": { shape: "EmptyBatchRequest", status: 400 },
  "AWS.SimpleQueueService.InvalidBatchEntryId": { shape: "InvalidBatchEntryId", status: 400 },
  "AWS.SimpleQueueService.MessageNotInflight": { shape: "MessageNotInflight", status: 400 },
  "AWS.SimpleQueueService.NonExistentQueue": { shape: "QueueDoesNotExist", status: 400 },
  "AWS.SimpleQueueService.PurgeQueueInProgress": { shape: "PurgeQueueInProgress", status: 403 },
  "AWS.SimpleQueueService.QueueDeletedRecently": { shape: "QueueDeletedRecently", status: 400 },
  "AWS.SimpleQueueService.TooManyEntriesInBatchRequest": {
    shape: "TooManyEntriesInBatchRequest",
    status: 400,
  },
  "AWS.SimpleQueueService.UnsupportedOperation": { shape: "UnsupportedOperation", status: 400 },
  InvalidAddress: { shape: "InvalidAddress", status: 404 },
  InvalidSecurity: { shape: "InvalidSecurity", status: 403 },
  "KMS.AccessDeniedException": { shape: "KmsAccessDenied", status: 400 },
  "KMS.ThrottlingException": { shape: "KmsThrottled", status: 400 },
  OverLimit: { shape: "OverLimit", status: 403 },
  ReceiptHandleIsInvalid: { shape: "ReceiptHandleIsInvalid", status: 404 },
  RequestThrottled: { shape: "RequestThrottled", status: 403 },
};

/** An SQS error answer: status, the `x-amzn-query-error` header and the JSON body. */
export interface SqsErrorAnswer {
  status: number;
  headers: Record<string, string>;
  body: { __type: string; message: string };
}

/**
 * Builds an error the way SQS's JSON protocol sends it: `__type` names the shape
 * (`com.amazonaws.sqs#QueueDoesNotExist`) and `x-amzn-query-error` carries the query code and
 * whether the sender or the receiver is at fault (`AWS.SimpleQueueService.NonExistentQueue;Sender`).
 * `type` may be either the query code or the shape name; unmodelled codes (`InternalError`,
 * `InvalidParameterValue`) are passed through and surface as `SQSServiceException` with that name.
 */
export function sqsError(type: string, message: string, status?: number): SqsErrorAnswer {
  const byCode = MODELLED[type];
  const byShape = Object.entries(MODELLED).find(([, m]) => m.shape === type);
  const code = byCode ? type : (byShape?.[0] ?? type);
  const shape = byCode?.shape ?? byShape?.[1].shape ?? type;
  const finalStatus = status ?? byCode?.status ?? byShape?.[1].status ?? 400;
  return {
    status: finalStatus,
    headers: { "x-amzn-query-error": `${code};${finalStatus >= 500 ? "Receiver" : "Sender"}` },
    body: { __type: `com.amazonaws.sqs#${shape}`, message },
  };
}

/** SQS's message for a query code the caller did not describe. */
export function defaultSqsMessage(type: string): string {
  if (type.endsWith("NonExistentQueue") || type === "QueueDoesNotExist") {
    return "The specified queue does not exist.";
  }
  if (type === "InternalError") return "We encountered an internal error. Please try again.";
  return `${type} (injected by the SQS stand-in)`;
}

function allowedInBody(codePoint: number): boolean {
  return (
    codePoint === 0x9 ||
    codePoint === 0xa ||
    codePoint === 0xd ||
    (codePoint >= 0x20 && codePoint <= 0xd7ff) ||
    (codePoint >= 0xe000 && codePoint <= 0xfffd) ||
    (codePoint >= 0x10000 && codePoint <= 0x10ffff)
  );
}

/** The reason `body` is not a valid SQS message body (a character SQS refuses), or undefined. */
export function invalidBodyReason(body: string): string | undefined {
  for (const character of body) {
    const codePoint = character.codePointAt(0) ?? 0;
    if (!allowedInBody(codePoint)) {
      return `Invalid binary character '#x${codePoint.toString(16).toUpperCase()}' was found in the message body, the set of allowed characters is #x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF`;
    }
  }
  return undefined;
}
