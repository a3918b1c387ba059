import type { Duration } from "aws-cdk-lib";
import * as cloudwatch from "aws-cdk-lib/aws-cloudwatch";
import type * as dynamodb from "aws-cdk-lib/aws-dynamodb";
import { FanOutMetricName } from "../lambda/fan-out/fan-out-metric-name.js";
import { dispatchMetric, distributionMetrics } from "./dispatch-metric.js";
import { StateTableMetricName, stateTableMetric } from "./state-table-metric.js";

/**
 * The dashboard row of fan-out, pacing and duplicate suppression: fan-out size (largest expansion)
 * and refused targets; pacing delay p50/p99/max; deferrals, suppressed duplicates and blocked tokens;
 * and the state table's throttles, system errors and consumed capacity.
 */
export function fanOutWidgets(stateTable: dynamodb.ITable, period: Duration): cloudwatch.IWidget[] {
  const { SUM, MAXIMUM } = cloudwatch.Stats;
  const metric = (name: string, statistic: string, label: string) =>
    dispatchMetric(name, { statistic, period, label });
  return [
    new cloudwatch.GraphWidget({
      title: "Fan-out (jobs per expansion)",
      width: 6,
      left: [
        metric(FanOutMetricName.FanOutSize, MAXIMUM, "largest fan-out"),
        metric(FanOutMetricName.FanOutRefused, SUM, "refused targets"),
      ],
    }),
    new cloudwatch.GraphWidget({
      title: "Pacing delay (seconds waited for a turn)",
      width: 6,
      left: distributionMetrics(FanOutMetricName.PacingDelay, period),
    }),
    new cloudwatch.GraphWidget({
      title: "Pacing and duplicates",
      width: 6,
      left: [
        metric(FanOutMetricName.PacingDeferred, SUM, "deferred to their turn"),
        metric(FanOutMetricName.DuplicatesSuppressed, SUM, "duplicates suppressed"),
        metric(FanOutMetricName.TokenBlocked, SUM, "tokens blocked by GitHub"),
      ],
    }),
    new cloudwatch.GraphWidget({
      title: "State table",
      width: 6,
      left: [
        stateTableMetric(stateTable, StateTableMetricName.ThrottledRequests, {
          period,
          label: "throttled requests",
        }),
        stateTableMetric(stateTable, StateTableMetricName.SystemErrors, {
          period,
          label: "system errors",
        }),
      ],
      right: [
        stateTable.metricConsumedWriteCapacityUnits({
          period,
          statistic: SUM,
          label: "write units",
        }),
        stateTable.metricConsumedReadCapacityUnits({ period, statistic: SUM, label: "read units" }),
      ],
    }),
  ];
}
