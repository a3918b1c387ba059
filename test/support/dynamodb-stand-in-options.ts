/** A table the stand-in serves. */
export interface DynamoDbTableOptions {
  name: string;
  /** @default "id" */
  partitionKey?: string;
  /** Sort key attribute; unset: the table has a simple key. */
  sortKey?: string;
  /** TTL attribute (epoch seconds); honoured only when the stand-in has a `clock`. */
  ttlAttribute?: string;
}

/** How the DynamoDB stand-in behaves. */
export interface DynamoDbStandInOptions {
  /** @default [{ name: "workflow-dispatch-state", partitionKey: "id", ttlAttribute: "expiration" }] */
  tables?: DynamoDbTableOptions[];
  /**
   * Time source for TTL, epoch ms. When given, an item whose TTL attribute is in the past is gone
   * (as after DynamoDB's TTL sweep); when not, expired items linger, as they may for days in AWS.
   */
  clock?: () => number;
}

/** An error the stand-in can be told to answer with. */
export type DynamoDbFault =
  | "ProvisionedThroughputExceededException"
  | "ThrottlingException"
  | "RequestLimitExceeded"
  | "InternalServerError"
  | "ResourceNotFoundException";

/** The table every stand-in has unless told otherwise. */
export const DEFAULT_STATE_TABLE = "workflow-dispatch-state";
