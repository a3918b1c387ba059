import type { Duration, RemovalPolicy } from "aws-cdk-lib";
import type { DispatchConfig } from "./config/dispatch-config.js";
import type { DispatchAlarmsProps } from "./dispatch-alarms.js";
import type { DispatchFunctionProps } from "./dispatch-function-props.js";
import type { DispatchQueuesProps } from "./dispatch-queues.js";

/**
 * Schedules per CloudFormation stack. Measured with bench/synth.ts: the core resources take 26 of a
 * stack's 500 (with one e-mail subscription; the state table and the fan-out alarms included), a
 * schedule group with its role and policy 3 more, and each schedule 1 resource and about 1.4 KB of
 * template, so one stack holds at most 471. 400 leaves room for resources a team adds to the same
 * stack and keeps each template near 0.6 MB of the 1 MB.
 */
export const DEFAULT_SCHEDULES_PER_STACK = 400;

/**
 * Properties of `WorkflowDispatch`. The function's tuning (memory, timeouts, batching, retries, logs,
 * entry) is `DispatchFunctionProps`', documented and defaulted there, as are the dead-letter retention
 * (`DispatchQueuesProps`) and the alarm thresholds for queue age and fan-out size
 * (`DispatchAlarmsProps`). `config`, `queue`, `deadLetterQueue` and `stateTable` are left out: the
 * construct validates the config and creates the queues and the state table.
 */
export interface WorkflowDispatchProps
  extends Omit<DispatchFunctionProps, "config" | "queue" | "deadLetterQueue" | "stateTable">,
    Pick<DispatchQueuesProps, "deadLetterRetentionPeriod">,
    Pick<DispatchAlarmsProps, "oldestMessageAgeThreshold" | "fanOutSizeThreshold"> {
  /** The schedule config (`dispatch.config.ts`); validated here, every error reported at once. */
  readonly config: DispatchConfig;
  /**
   * Receives before SQS itself moves a message to the dead-letter queue: a backstop, because the
   * function parks a job after `maxAttempts`; must be greater than `maxAttempts`.
   * @default maxAttempts + 4
   */
  readonly maxReceiveCount?: number;
  /**
   * How long a job may wait in the dispatch queue (see `DispatchQueuesProps.retentionPeriod`).
   * @default Duration.days(4)
   */
  readonly queueRetentionPeriod?: Duration;
  /**
   * What happens to the state table when it leaves the stack (see `DispatchStateTableProps`):
   * its items expire within the idempotency window, so by default it is deleted with the stack.
   * @default RemovalPolicy.DESTROY
   */
  readonly stateTableRemovalPolicy?: RemovalPolicy;
  /**
   * Scheduler's delivery retries per firing (0-185) before the firing goes to the dead-letter queue.
   * @default 10
   */
  readonly scheduleRetryAttempts?: number;
  /**
   * Oldest firing Scheduler still delivers (1 minute to 24 hours).
   * @default Duration.hours(1)
   */
  readonly scheduleMaxEventAge?: Duration;
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
}
