/** How the SQS stand-in behaves. */
export interface SqsStandInOptions {
  /** Queue names. @default ["workflow-dispatch", "workflow-dispatch-dlq"] */
  queues?: string[];
  /** Time source for delays, visibility and timestamps. @default Date.now */
  clock?: () => number;
  /** Visibility timeout of every queue when ReceiveMessage names none. @default 30 */
  visibilityTimeoutSeconds?: number;
  /** Largest message (body plus attributes) and batch SendMessage accepts. @default 262144 */
  maxMessageBytes?: number;
  /** Redrive policies: source queue -> its dead-letter queue and `maxReceiveCount`. @default none */
  redrive?: Record<string, { deadLetterQueue: string; maxReceiveCount: number }>;
}

/** A recorded call: `X-Amz-Target` (`AmazonSQS.SendMessage`), the operation name and the JSON body. */
export interface SqsRecordedRequest {
  target: string;
  operation: string;
  body: unknown;
}
