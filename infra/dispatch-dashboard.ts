import { Duration } from "aws-cdk-lib";
import * as cloudwatch from "aws-cdk-lib/aws-cloudwatch";
import type * as dynamodb from "aws-cdk-lib/aws-dynamodb";
import type * as lambda from "aws-cdk-lib/aws-lambda";
import type * as sqs from "aws-cdk-lib/aws-sqs";
import { Construct } from "constructs";
import { MetricName } from "../lambda/observability/telemetry.js";
import { FailureClass } from "../lambda/outcome/errors.js";
import { dispatchMetric, distributionMetrics } from "./dispatch-metric.js";
import { fanOutWidgets } from "./fan-out-widgets.js";

/** Properties of {@link DispatchDashboard}. */
export interface DispatchDashboardProps {
  /** The dispatch function. */
  readonly function: lambda.IFunction;
  /** The dispatch queue. */
  readonly queue: sqs.IQueue;
  /** The dead-letter queue. */
  readonly deadLetterQueue: sqs.IQueue;
  /** The state table (idempotency records and pacing ledgers). */
  readonly stateTable: dynamodb.ITable;
  /** Alarms shown in the status row. */
  readonly alarms: readonly cloudwatch.IAlarm[];
}

/**
 * A CloudWatch dashboard: dispatches and retries, failures by class, schedule lag and dispatch latency
 * (the function's embedded metrics in namespace `WorkflowDispatch`), queue and dead-letter depth, the
 * function's own health, fan-out, pacing and duplicate suppression, and the state table.
 */
export class DispatchDashboard extends Construct {
  /** The dashboard. */
  readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: DispatchDashboardProps) {
    super(scope, id);
    const period = Duration.minutes(5);
    const metric = (
      metricName: string,
      statistic: string,
      label: string,
      dimensions: Record<string, string> = {},
    ) => dispatchMetric(metricName, { statistic, period, label, dimensions });
    const sum = cloudwatch.Stats.SUM;

    this.dashboard = new cloudwatch.Dashboard(this, "Dashboard", {
      defaultInterval: Duration.days(1),
    });
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: "Dispatches",
        width: 12,
        left: [
          metric(MetricName.Dispatched, sum, "dispatched"),
          metric(MetricName.DispatchRetried, sum, "retried"),
          metric(MetricName.AmbiguousRetry, sum, "ambiguous retries (may duplicate a run)"),
          metric(MetricName.DeadLettered, sum, "dead-lettered"),
        ],
      }),
      new cloudwatch.GraphWidget({
        title: "Failures by class",
        width: 12,
        stacked: true,
        left: Object.values(FailureClass).map((failureClass) =>
          metric(MetricName.DispatchFailed, sum, failureClass, { FailureClass: failureClass }),
        ),
      }),
    );
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: "Schedule lag (seconds after the scheduled time)",
        width: 12,
        left: distributionMetrics(MetricName.ScheduleLag, period),
      }),
      new cloudwatch.GraphWidget({
        title: "GitHub dispatch latency (ms)",
        width: 12,
        left: distributionMetrics(MetricName.DispatchLatency, period),
      }),
    );
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: "Dispatch queue",
        width: 8,
        left: [
          props.queue.metricApproximateNumberOfMessagesVisible({ period, label: "waiting" }),
          props.queue.metricApproximateNumberOfMessagesNotVisible({
            period,
            label: "in flight or delayed",
          }),
        ],
        right: [props.queue.metricApproximateAgeOfOldestMessage({ period, label: "oldest (s)" })],
      }),
      new cloudwatch.GraphWidget({
        title: "Dead-letter queue",
        width: 8,
        left: [
          props.deadLetterQueue.metricApproximateNumberOfMessagesVisible({
            period,
            label: "parked jobs",
            statistic: cloudwatch.Stats.MAXIMUM,
          }),
        ],
      }),
      new cloudwatch.GraphWidget({
        title: "Function",
        width: 8,
        left: [
          props.function.metricInvocations({ period, statistic: sum }),
          props.function.metricErrors({ period, statistic: sum }),
          props.function.metricThrottles({ period, statistic: sum }),
        ],
        right: [props.function.metricDuration({ period, statistic: cloudwatch.Stats.p(99) })],
      }),
    );
    this.dashboard.addWidgets(...fanOutWidgets(props.stateTable, period));
    this.dashboard.addWidgets(
      new cloudwatch.AlarmStatusWidget({ title: "Alarms", width: 24, alarms: [...props.alarms] }),
    );
  }
}
