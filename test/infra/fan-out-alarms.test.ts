import { Stack } from "aws-cdk-lib";
import { Match, Template } from "aws-cdk-lib/assertions";
import { beforeAll, describe, expect, it } from "vitest";
import { WorkflowDispatch } from "../../infra/workflow-dispatch.js";
import { TEST_ENV, testApp } from "../support/cdk-test-app.js";
import { baseConfig } from "../support/dispatch-config-factory.js";

const TOPIC_ARN = "arn:aws:sns:eu-central-1:111122223333:platform-alarms";

function build(fanOutSizeThreshold?: number): Template {
  const stack = new Stack(testApp(), "Alarms", { env: TEST_ENV });
  new WorkflowDispatch(stack, "Dispatch", {
    config: baseConfig({ alarms: { snsTopicArn: TOPIC_ARN } }),
    fanOutSizeThreshold,
  });
  return Template.fromStack(stack);
}

describe("FanOutAlarms", () => {
  let template: Template;
  let tableId: string;

  beforeAll(() => {
    template = build();
    [tableId = ""] = Object.keys(template.findResources("AWS::DynamoDB::Table"));
  });

  it.each([
    ["FanOutSize", "Maximum", 300, "GreaterThanThreshold", 5000],
    ["FanOutRefused", "Sum", 300, "GreaterThanOrEqualToThreshold", 1],
    ["PacingDelay", "Maximum", 900, "GreaterThanThreshold", 7200],
    ["DuplicatesSuppressed", "Sum", 3600, "GreaterThanThreshold", 100],
    ["TokenBlocked", "Sum", 900, "GreaterThanOrEqualToThreshold", 1],
  ])(
    "alarms on the function's %s (%s over %i s, %s %i) and notifies the configured topic",
    (metric, statistic, period, comparison, threshold) => {
      template.hasResourceProperties("AWS::CloudWatch::Alarm", {
        Namespace: "WorkflowDispatch",
        MetricName: metric,
        Dimensions: [{ Name: "service", Value: "workflow-dispatch" }],
        Statistic: statistic,
        Period: period,
        EvaluationPeriods: 1,
        ComparisonOperator: comparison,
        Threshold: threshold,
        TreatMissingData: "notBreaching",
        AlarmActions: [TOPIC_ARN],
        OKActions: [TOPIC_ARN],
      });
    },
  );

  it("takes the fan-out size threshold from fanOutSizeThreshold", () => {
    build(20_000).hasResourceProperties("AWS::CloudWatch::Alarm", {
      MetricName: "FanOutSize",
      Threshold: 20_000,
    });
  });

  it.each([0, 1.5])("throws for fanOutSizeThreshold %s, naming the value", (threshold) => {
    expect(() => build(threshold)).toThrow(
      `fanOutSizeThreshold must be a whole number of at least 1, got ${threshold}`,
    );
  });

  it.each([
    ["ThrottledRequests", "throttled"],
    ["SystemErrors", "errors"],
  ])(
    "alarms on any %s of the table's four operations, each filled with 0 so one is enough",
    (metric, prefix) => {
      const operations = ["GetItem", "PutItem", "UpdateItem", "DeleteItem"];
      template.hasResourceProperties("AWS::CloudWatch::Alarm", {
        ComparisonOperator: "GreaterThanOrEqualToThreshold",
        Threshold: 1,
        TreatMissingData: "notBreaching",
        AlarmActions: [TOPIC_ARN],
        Metrics: Match.arrayWith([
          Match.objectLike({
            Expression: operations.map((op) => `FILL(${prefix}${op.toLowerCase()}, 0)`).join(" + "),
            ReturnData: true,
          }),
          ...operations.map((op) =>
            Match.objectLike({
              Id: `${prefix}${op.toLowerCase()}`,
              ReturnData: false,
              MetricStat: {
                Metric: {
                  Namespace: "AWS/DynamoDB",
                  MetricName: metric,
                  Dimensions: Match.arrayWith([
                    { Name: "Operation", Value: op },
                    { Name: "TableName", Value: { Ref: tableId } },
                  ]),
                },
                Period: 300,
                Stat: "Sum",
              },
            }),
          ),
        ]),
      });
    },
  );

  it("adds seven alarms to the four of the core", () => {
    template.resourceCountIs("AWS::CloudWatch::Alarm", 11);
  });
});
