import { RemovalPolicy, Validations } from "aws-cdk-lib";
import * as dynamodb from "aws-cdk-lib/aws-dynamodb";
import type * as iam from "aws-cdk-lib/aws-iam";
import { Construct } from "constructs";

/**
 * The only calls the function makes on the state table: Powertools Idempotency's conditional PutItem,
 * UpdateItem and DeleteItem, and the pacing ledger's GetItem and conditional PutItem. No Query, Scan,
 * Batch* or DescribeTable.
 */
export const STATE_TABLE_ACTIONS = [
  "dynamodb:GetItem",
  "dynamodb:PutItem",
  "dynamodb:UpdateItem",
  "dynamodb:DeleteItem",
] as const;

/** Properties of {@link DispatchStateTable}. */
export interface DispatchStateTableProps {
  /**
   * What happens to the table when it leaves the stack. Every item expires within the idempotency
   * window (24 hours by default; pacing ledgers after 2 hours), so there is nothing to keep. Whatever
   * the policy, a replaced table starts empty: the keys taken in the last window are forgotten, and a
   * redelivery inside it could dispatch again.
   * @default RemovalPolicy.DESTROY
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * The state table: Powertools idempotency records (one per dispatch and per fan-out firing) and one
 * pacing ledger per token (`pacing#<16 hex>`), in one on-demand DynamoDB table with partition key
 * `id` (String) and TTL attribute `expiration` (epoch seconds). Items are small (a record under 1 KB,
 * a ledger at most about 3 KB) and hold no secret: Powertools hashes the keys and tokens are named
 * by a hash of their secret's name, so the AWS owned key encrypts it at no cost. Point-in-time
 * recovery is off: the contents expire within a day and a restore creates another table.
 */
export class DispatchStateTable extends Construct {
  /** The table. */
  readonly table: dynamodb.Table;

  constructor(scope: Construct, id: string, props: DispatchStateTableProps = {}) {
    super(scope, id);
    this.table = new dynamodb.Table(this, "Table", {
      partitionKey: { name: "id", type: dynamodb.AttributeType.STRING },
      timeToLiveAttribute: "expiration",
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      encryption: dynamodb.TableEncryption.DEFAULT,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.DESTROY,
    });
    Validations.of(this.table).acknowledge({
      id: "AwsSolutions-DDB3",
      reason:
        "transient idempotency/pacing state that expires within 24 hours (or the configured idempotency window); a point-in-time restore would create a new table the function does not use",
    });
  }

  /** Lets `grantee` read, write and delete single items ({@link STATE_TABLE_ACTIONS}), nothing else. */
  grantStateAccess(grantee: iam.IGrantable): iam.Grant {
    return this.table.grant(grantee, ...STATE_TABLE_ACTIONS);
  }
}
