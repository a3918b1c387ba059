import { Annotations, Duration, NestedStack, Stack, Token } from "aws-cdk-lib";
import type * as dynamodb from "aws-cdk-lib/aws-dynamodb";
import type * as iam from "aws-cdk-lib/aws-iam";
import type * as lambda from "aws-cdk-lib/aws-lambda";
import type * as sqs from "aws-cdk-lib/aws-sqs";
import { Construct } from "constructs";
import { ConfigError } from "./config/config-error.js";
import type { ResolvedDispatchConfig } from "./config/resolved-config.js";
import { validateConfig } from "./config/validate-config.js";
import { DispatchAlarms } from "./dispatch-alarms.js";
import { DispatchDashboard } from "./dispatch-dashboard.js";
import { DispatchFunction } from "./dispatch-function.js";
import { DISPATCH_FUNCTION_DEFAULTS } from "./dispatch-function-props.js";
import { DispatchQueues } from "./dispatch-queues.js";
import { DispatchSchedules } from "./dispatch-schedules.js";
import { DispatchStateTable } from "./dispatch-state-table.js";
import { partitionSchedules } from "./partition-schedules.js";
import { producerPrincipal } from "./producer-principal.js";
import {
  DEFAULT_SCHEDULES_PER_STACK,
  type WorkflowDispatchProps,
} from "./workflow-dispatch-props.js";

export type { WorkflowDispatchProps } from "./workflow-dispatch-props.js";
export { DEFAULT_SCHEDULES_PER_STACK } from "./workflow-dispatch-props.js";

/**
 * Everything that fires GitHub `workflow_dispatch` events from one config: EventBridge Scheduler
 * schedules, the dispatch function, its queue and dead-letter queue, the DynamoDB state table for
 * duplicate suppression and pacing, least-privilege IAM, alarms and a dashboard. Use it in any stack;
 * `WorkflowDispatchStack` is the ready-made one.
 */
export class WorkflowDispatch extends Construct {
  /** The validated config the resources were built from. */
  readonly config: ResolvedDispatchConfig;
  /** The dispatch function. */
  readonly function: lambda.IFunction;
  /** Its execution role. */
  readonly functionRole: iam.IRole;
  /** Queue of jobs: producers send here; the function retries through it. */
  readonly queue: sqs.IQueue;
  /** Parked jobs and undeliverable invocations. */
  readonly deadLetterQueue: sqs.IQueue;
  /** Idempotency records and pacing ledgers (`STATE_TABLE_NAME`). */
  readonly stateTable: dynamodb.ITable;
  /** Schedule groups with their schedules (one, or one per nested stack). */
  readonly scheduleSets: readonly DispatchSchedules[];
  /** The alarms and their topic. */
  readonly alarms: DispatchAlarms;
  /** The dashboard. */
  readonly dashboard: DispatchDashboard;

  constructor(scope: Construct, id: string, props: WorkflowDispatchProps) {
    super(scope, id);
    const validation = validateConfig(props.config);
    if (!validation.config) throw new ConfigError("config", validation.errors, validation.warnings);
    const config = validation.config;
    this.config = config;

    const maxAttempts = props.maxAttempts ?? DISPATCH_FUNCTION_DEFAULTS.maxAttempts;
    const maxReceiveCount = props.maxReceiveCount ?? maxAttempts + 4;
    if (maxReceiveCount <= maxAttempts) {
      throw new Error(
        `maxReceiveCount (${maxReceiveCount}) must be greater than maxAttempts (${maxAttempts}): the function parks jobs itself and SQS's redrive is only the backstop`,
      );
    }
    const timeout = props.timeout ?? DISPATCH_FUNCTION_DEFAULTS.timeout;
    const maxBatchingWindow =
      props.maxBatchingWindow ?? DISPATCH_FUNCTION_DEFAULTS.maxBatchingWindow;
    const queues = new DispatchQueues(this, "Queues", {
      visibilityTimeout: Duration.seconds(6 * timeout.toSeconds() + maxBatchingWindow.toSeconds()),
      maxReceiveCount,
      retentionPeriod: props.queueRetentionPeriod,
      deadLetterRetentionPeriod: props.deadLetterRetentionPeriod,
    });
    this.queue = queues.queue;
    this.deadLetterQueue = queues.deadLetterQueue;
    const state = new DispatchStateTable(this, "State", {
      removalPolicy: props.stateTableRemovalPolicy,
    });
    this.stateTable = state.table;

    const dispatcher = new DispatchFunction(this, "Dispatcher", {
      ...props,
      config,
      timeout,
      maxBatchingWindow,
      maxAttempts,
      queue: this.queue,
      deadLetterQueue: this.deadLetterQueue,
      stateTable: state,
    });
    this.function = dispatcher.function;
    this.functionRole = dispatcher.role;
    for (const producer of config.producers) this.grantSendJobs(producerPrincipal(producer));

    this.scheduleSets = this.buildSchedules(props, validation.warnings);
    for (const warning of validation.warnings.filter((w) => !w.startsWith("schedules["))) {
      Annotations.of(this).addWarningV2("workflow-dispatch:config", warning);
    }

    this.alarms = new DispatchAlarms(this, "Alarms", {
      function: this.function,
      queue: this.queue,
      deadLetterQueue: this.deadLetterQueue,
      stateTable: this.stateTable,
      emails: config.alarms.emails,
      snsTopicArn: config.alarms.snsTopicArn,
      oldestMessageAgeThreshold: props.oldestMessageAgeThreshold,
      fanOutSizeThreshold: props.fanOutSizeThreshold,
    });
    this.dashboard = new DispatchDashboard(this, "Dashboard", {
      function: this.function,
      queue: this.queue,
      deadLetterQueue: this.deadLetterQueue,
      stateTable: this.stateTable,
      alarms: this.alarms.alarms,
    });
  }

  /** Console link of the dashboard. */
  get dashboardUrl(): string {
    const { region } = Stack.of(this);
    return `https://${region}.console.aws.amazon.com/cloudwatch/home?region=${region}#dashboards/dashboard/${this.dashboard.dashboard.dashboardName}`;
  }

  /** Lets `grantee` send jobs to the dispatch queue. */
  grantSendJobs(grantee: iam.IGrantable): iam.Grant {
    return this.queue.grantSendMessages(grantee);
  }

  /** Lets `grantee` read and delete parked jobs and send them back to the dispatch queue (redrive). */
  grantRedrive(grantee: iam.IGrantable): iam.Grant {
    this.queue.grantSendMessages(grantee);
    return this.deadLetterQueue.grantConsumeMessages(grantee);
  }

  private buildSchedules(props: WorkflowDispatchProps, warnings: readonly string[]) {
    const { schedules } = this.config;
    const byName = new Map(
      schedules.map((s, i) => [
        s.name,
        warnings.filter((w) => w.startsWith(`schedules[${i}] "${s.name}"`)),
      ]),
    );
    const baseName = props.scheduleGroupName ?? Stack.of(this).stackName;
    const perStack = props.schedulesPerStack ?? DEFAULT_SCHEDULES_PER_STACK;
    if (!Token.isUnresolved(baseName) && !/^[0-9a-zA-Z_.-]{1,60}$/.test(baseName)) {
      throw new Error(
        `scheduleGroupName "${baseName}" must be 1-60 characters of letters, digits, '-', '_' and '.' (Scheduler allows 64; "-N" is appended when schedules are split); set scheduleGroupName`,
      );
    }
    const common = {
      function: this.function,
      deadLetterQueue: this.deadLetterQueue,
      retryAttempts: props.scheduleRetryAttempts ?? 10,
      maxEventAge: props.scheduleMaxEventAge ?? Duration.hours(1),
      warnings: byName,
    };
    if (schedules.length === 0) return [];
    if (schedules.length <= perStack) {
      return [
        new DispatchSchedules(this, "Schedules", {
          ...common,
          schedules,
          scheduleGroupName: baseName,
        }),
      ];
    }
    return partitionSchedules(schedules, perStack).map((part, i) => {
      const nested = new NestedStack(this, `Schedules${i + 1}`, {
        description: `workflow-dispatch schedules ${i * perStack + 1}-${i * perStack + part.length}`,
      });
      return new DispatchSchedules(nested, "Schedules", {
        ...common,
        schedules: part,
        scheduleGroupName: `${baseName}-${i + 1}`,
      });
    });
  }
}
