import type { Duration } from "aws-cdk-lib";
import * as cloudwatch from "aws-cdk-lib/aws-cloudwatch";
import * as dynamodb from "aws-cdk-lib/aws-dynamodb";

/** The operations the function performs on the state table (see `STATE_TABLE_ACTIONS`). */
const STATE_TABLE_OPERATIONS = [
  dynamodb.Operation.GET_ITEM,
  dynamodb.Operation.PUT_ITEM,
  dynamodb.Operation.UPDATE_ITEM,
  dynamodb.Operation.DELETE_ITEM,
] as const;

/** DynamoDB metrics reported per table and operation that the alarms and the dashboard sum. */
export const StateTableMetricName = {
  ThrottledRequests: "ThrottledRequests",
  SystemErrors: "SystemErrors",
} as const;
/** One of {@link StateTableMetricName}. */
export type StateTableMetricName = (typeof StateTableMetricName)[keyof typeof StateTableMetricName];

/**
 * The sum of `metricName` over {@link STATE_TABLE_OPERATIONS}. DynamoDB reports these metrics only
 * for an operation that had one, and metric math computes a sum only at timestamps where every
 * operand has a value, so each operation is `FILL`ed with 0 first: one throttled GetItem is enough.
 * (CDK's `metricThrottledRequestsForOperations` adds the bare series.) Ids are prefixed per metric
 * so both sums fit in one graph.
 */
export function stateTableMetric(
  table: dynamodb.ITable,
  metricName: StateTableMetricName,
  options: { readonly period: Duration; readonly label: string },
): cloudwatch.MathExpression {
  const prefix = metricName === StateTableMetricName.ThrottledRequests ? "throttled" : "errors";
  const usingMetrics = Object.fromEntries(
    STATE_TABLE_OPERATIONS.map((operation) => [
      `${prefix}${operation.toLowerCase()}`,
      table.metric(metricName, {
        dimensionsMap: { TableName: table.tableName, Operation: operation },
        statistic: cloudwatch.Stats.SUM,
        period: options.period,
      }),
    ]),
  );
  return new cloudwatch.MathExpression({
    expression: Object.keys(usingMetrics)
      .map((id) => `FILL(${id}, 0)`)
      .join(" + "),
    usingMetrics,
    period: options.period,
    label: options.label,
  });
}
