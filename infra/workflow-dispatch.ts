import { Annotations, Duration, NestedStack, type RemovalPolicy, Stack, Token } from "aws-cdk-lib";
import type * as iam from "aws-cdk-lib/aws-iam";
import type * as lambda from "aws-cdk-lib/aws-lambda";
import type * as logs from "aws-cdk-lib/aws-logs";
import type * as sqs from "aws-cdk-lib/aws-sqs";
import { Construct } from "constructs";
import { ConfigError } from "./config/config-error.js";
import type { DispatchConfig } from "./config/dispatch-config.js";
import type { ResolvedDispatchConfig } from "./config/resolved-config.js";
import { validateConfig } from "./config/validate-config.js";
import { DispatchAlarms } from "./dispatch-alarms.js";
import { DispatchDashboard } from "./dispatch-dashboard.js";
import { DispatchFunction } from "./dispatch-function.js";
import { DispatchQueues } from "./dispatch-queues.js";
import { DispatchSchedules } from "./dispatch-schedules.js";
import { partitionSchedules } from "./partition-schedules.js";
import { producerPrincipal } from "./producer-principal.js";

/**
 * Schedules per CloudFormation stack. Measured with bench/synth.ts: the core resources take 18 of a
 * stack's 500 (with one e-mail subscription), a schedule group with its role and policy 3 more, and
 * each schedule 1 resource and about 1.4 KB of template, so one stack holds at most 479. 400 leaves
 * room for resources a team adds to the same stack and keeps each template near 0.6 MB of the 1 MB.
 */
export const DEFAULT_SCHEDULES_PER_STACK = 400;

/** Properties of {@link WorkflowDispatch}. */
export interface WorkflowDispatchProps {
  /** The schedule config (`dispatch.config.ts`); validated here, every error reported at once. */
  readonly config: DispatchConfig;
  /** @default 256 — see `DispatchFunctionProps.memorySize` for the reasoning */
  readonly memorySize?: number;
  /** @default Duration.seconds(60) — see `DispatchFunctionProps.timeout` for the reasoning */
  readonly timeout?: Duration;
  /** Time limit of one request to GitHub. @default Duration.seconds(10) */
  readonly requestTimeout?: Duration;
  /** Secret cache lifetime per container. @default Duration.minutes(5) */
  readonly secretCacheTtl?: Duration;
  /** Attempts before the function parks a retryable job. @default 8 */
  readonly maxAttempts?: number;
  /** Receives before SQS moves a message to the DLQ; a backstop above `maxAttempts`. @default maxAttempts + 4 */
  readonly maxReceiveCount?: number;
  /** Reserved concurrency of the function. @default - none (bounded by `maxConcurrency`) */
  readonly reservedConcurrency?: number;
  /** SQS batch size. @default 10 */
  readonly batchSize?: number;
  /** SQS batching window. @default Duration.seconds(1) */
  readonly maxBatchingWindow?: Duration;
  /** Most concurrent invocations from the queue. @default 5 */
  readonly maxConcurrency?: number;
  /** Lambda retries of a failed Scheduler invocation. @default 2 */
  readonly asyncRetryAttempts?: number;
  /** Oldest Scheduler invocation Lambda still runs. @default Duration.hours(1) */
  readonly asyncMaxEventAge?: Duration;
  /** Scheduler's delivery retries per firing (0-185). @default 10 */
  readonly scheduleRetryAttempts?: number;
  /** Oldest firing Scheduler still delivers (1 minute to 24 hours). @default Duration.hours(1) */
  readonly scheduleMaxEventAge?: Duration;
  /** Retention of the dispatch queue. @default Duration.days(4) */
  readonly queueRetentionPeriod?: Duration;
  /** Retention of the dead-letter queue. @default Duration.days(14) */
  readonly deadLetterRetentionPeriod?: Duration;
  /** Log retention. @default logs.RetentionDays.ONE_MONTH */
  readonly logRetention?: logs.RetentionDays;
  /** Log group removal policy. @default RemovalPolicy.DESTROY */
  readonly logRemovalPolicy?: RemovalPolicy;
  /** Alarm threshold on the oldest queued job. @default Duration.hours(1) */
  readonly oldestMessageAgeThreshold?: Duration;
  /**
   * Schedule group name; with more than `schedulesPerStack` schedules, groups `NAME-1`, `NAME-2`, ...
   * @default - the stack name, so two stacks in one account never share a group
   */
  readonly scheduleGroupName?: string;
  /**
   * Most schedules in one stack. Up to this many live in the construct's own stack; more are split,
   * in config order, into nested stacks of this many, each with its own schedule group.
   * @default 400 ({@link DEFAULT_SCHEDULES_PER_STACK})
   */
  readonly schedulesPerStack?: number;
  /**
   * Entry file exporting `handler`.
   * @default - lambda/handler.ts of this project
   */
  readonly entry?: string;
}

/**
 * Everything that fires GitHub `workflow_dispatch` events from one config: EventBridge Scheduler
 * schedules, the dispatch function, its queue and dead-letter queue, least-privilege IAM, alarms and a
 * dashboard. Use it in any stack; `WorkflowDispatchStack` is the ready-made one.
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

    const maxAttempts = props.maxAttempts ?? 8;
    const maxReceiveCount = props.maxReceiveCount ?? maxAttempts + 4;
    if (maxReceiveCount <= maxAttempts) {
      throw new Error(
        `maxReceiveCount (${maxReceiveCount}) must be greater than maxAttempts (${maxAttempts}): the function parks jobs itself and SQS's redrive is only the backstop`,
      );
    }
    const timeout = props.timeout ?? Duration.seconds(60);
    const maxBatchingWindow = props.maxBatchingWindow ?? Duration.seconds(1);
    const queues = new DispatchQueues(this, "Queues", {
      visibilityTimeout: Duration.seconds(6 * timeout.toSeconds() + maxBatchingWindow.toSeconds()),
      maxReceiveCount,
      retentionPeriod: props.queueRetentionPeriod,
      deadLetterRetentionPeriod: props.deadLetterRetentionPeriod,
    });
    this.queue = queues.queue;
    this.deadLetterQueue = queues.deadLetterQueue;

    const dispatcher = new DispatchFunction(this, "Dispatcher", {
      ...props,
      config,
      timeout,
      maxBatchingWindow,
      maxAttempts,
      queue: this.queue,
      deadLetterQueue: this.deadLetterQueue,
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
      emails: config.alarms.emails,
      snsTopicArn: config.alarms.snsTopicArn,
      oldestMessageAgeThreshold: props.oldestMessageAgeThreshold,
    });
    this.dashboard = new DispatchDashboard(this, "Dashboard", {
      function: this.function,
      queue: this.queue,
      deadLetterQueue: this.deadLetterQueue,
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
