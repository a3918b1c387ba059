import type { Duration } from "aws-cdk-lib";
import * as cloudwatch from "aws-cdk-lib/aws-cloudwatch";
import { METRICS_NAMESPACE, SERVICE_NAME } from "../lambda/observability/telemetry.js";

/** What to read of one of the function's metrics. */
export interface DispatchMetricOptions {
  /** Statistic, e.g. `cloudwatch.Stats.SUM` or `cloudwatch.Stats.p(99)`. */
  readonly statistic: string;
  /** Aggregation period. */
  readonly period: Duration;
  /**
   * Legend text.
   * @default - the metric name
   */
  readonly label?: string;
  /**
   * Dimensions besides `service`, e.g. `{ FailureClass: "transient" }`.
   * @default - only `service`
   */
  readonly dimensions?: Readonly<Record<string, string>>;
}

/**
 * One of the function's embedded metrics (namespace `WorkflowDispatch`, dimension
 * `service=workflow-dispatch`, as Powertools Metrics writes them), for alarms and the dashboard.
 */
export function dispatchMetric(
  metricName: string,
  options: DispatchMetricOptions,
): cloudwatch.Metric {
  return new cloudwatch.Metric({
    namespace: METRICS_NAMESPACE,
    metricName,
    dimensionsMap: { service: SERVICE_NAME, ...options.dimensions },
    statistic: options.statistic,
    period: options.period,
    label: options.label,
  });
}

/**
 * The p50, p99 and maximum of one of the function's metrics, labelled so: the lines of a graph of a
 * latency or a delay, where the median shows the usual case and p99 and max the outliers.
 */
export function distributionMetrics(metricName: string, period: Duration): cloudwatch.Metric[] {
  return [
    dispatchMetric(metricName, { statistic: cloudwatch.Stats.p(50), period, label: "p50" }),
    dispatchMetric(metricName, { statistic: cloudwatch.Stats.p(99), period, label: "p99" }),
    dispatchMetric(metricName, { statistic: cloudwatch.Stats.MAXIMUM, period, label: "max" }),
  ];
}
