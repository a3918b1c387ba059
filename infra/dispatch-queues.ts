import { Duration, Token } from "aws-cdk-lib";
import * as sqs from "aws-cdk-lib/aws-sqs";
import { Construct } from "constructs";

/** Properties of {@link DispatchQueues}. */
export interface DispatchQueuesProps {
  /**
   * Visibility timeout of the dispatch queue; AWS asks for at least six times the function timeout
   * (plus the batching window) so a batch still running is never handed to a second poller.
   */
  readonly visibilityTimeout: Duration;
  /**
   * Receives after which SQS itself moves a message to the dead-letter queue. A backstop only: the
   * function parks a job on its own after `MAX_ATTEMPTS`, so this must be higher than that.
   * @default 12
   */
  readonly maxReceiveCount?: number;
  /**
   * How long a job may wait in the dispatch queue. Retries wait at most 15 minutes (SQS delay) or
   * the time GitHub names, and a job waiting for its pacing turn is handed back as a new message at
   * least every 15 minutes, so four days only matters when the function is broken for days.
   * @default Duration.days(4)
   */
  readonly retentionPeriod?: Duration;
  /**
   * How long a parked job stays in the dead-letter queue: the time people have to look and redrive.
   * @default Duration.days(14) (the SQS maximum)
   */
  readonly deadLetterRetentionPeriod?: Duration;
}

/**
 * The dispatch queue (jobs from producers and the function's own delayed retries) and its dead-letter
 * queue (parked jobs, Scheduler delivery failures, failed asynchronous invocations).
 * Both are encrypted with SQS-managed keys (SSE-SQS), so SNS topics and EventBridge rules can send to
 * the queue without a KMS key policy, and both deny requests without TLS.
 */
export class DispatchQueues extends Construct {
  /** The dispatch queue. */
  readonly queue: sqs.Queue;
  /** The dead-letter queue. */
  readonly deadLetterQueue: sqs.Queue;
  /** The receive count after which SQS moves a message to the dead-letter queue. */
  readonly maxReceiveCount: number;

  constructor(scope: Construct, id: string, props: DispatchQueuesProps) {
    super(scope, id);
    this.maxReceiveCount = props.maxReceiveCount ?? 12;
    if (
      !Token.isUnresolved(this.maxReceiveCount) &&
      (this.maxReceiveCount < 1 || this.maxReceiveCount > 1000)
    ) {
      throw new Error(`maxReceiveCount must be between 1 and 1000, got ${this.maxReceiveCount}`);
    }
    this.deadLetterQueue = new sqs.Queue(this, "DeadLetterQueue", {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: props.deadLetterRetentionPeriod ?? Duration.days(14),
    });
    this.queue = new sqs.Queue(this, "Queue", {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      visibilityTimeout: props.visibilityTimeout,
      retentionPeriod: props.retentionPeriod ?? Duration.days(4),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: this.maxReceiveCount },
    });
  }
}
