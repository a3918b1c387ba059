import { Duration } from "aws-cdk-lib";
import { describe, expect, it } from "vitest";
import { dispatchMetric, distributionMetrics } from "../../infra/dispatch-metric.js";

describe("dispatchMetric", () => {
  it("reads the function's embedded metric under its namespace and service dimension", () => {
    const metric = dispatchMetric("DispatchFailed", {
      statistic: "Sum",
      period: Duration.minutes(5),
      dimensions: { FailureClass: "transient" },
    });
    expect(metric.namespace).toBe("WorkflowDispatch");
    expect(metric.dimensions).toEqual({ service: "workflow-dispatch", FailureClass: "transient" });
    expect(metric.period.toMinutes()).toBe(5);
  });
});

describe("distributionMetrics", () => {
  it("gives the p50, p99 and maximum of one metric, each labelled", () => {
    const metrics = distributionMetrics("ScheduleLag", Duration.minutes(1));
    expect(metrics.map((m) => [m.metricName, m.statistic, m.label])).toEqual([
      ["ScheduleLag", "p50", "p50"],
      ["ScheduleLag", "p99", "p99"],
      ["ScheduleLag", "Maximum", "max"],
    ]);
    for (const m of metrics) expect(m.period.toMinutes()).toBe(1);
  });
});
