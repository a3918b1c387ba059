import { Stack } from "aws-cdk-lib";
import { Template } from "aws-cdk-lib/assertions";
import { beforeAll, describe, expect, it } from "vitest";
import { WorkflowDispatch } from "../../infra/workflow-dispatch.js";
import { TEST_ENV, testApp } from "../support/cdk-test-app.js";
import { baseConfig } from "../support/dispatch-config-factory.js";

interface Widget {
  readonly type: string;
  readonly properties: { readonly title?: string; readonly metrics?: unknown[][] };
}

/** The dashboard body as JSON, each `Ref`/`Fn::GetAtt` inside it replaced by `"<ref>"`. */
function dashboardWidgets(template: Template): Widget[] {
  const [dashboard] = Object.values(template.findResources("AWS::CloudWatch::Dashboard"));
  const body = dashboard?.Properties.DashboardBody as { "Fn::Join": [string, unknown[]] };
  const text = body["Fn::Join"][1].map((part) => (typeof part === "string" ? part : "<ref>"));
  return (JSON.parse(text.join("")) as { widgets: Widget[] }).widgets;
}

/** `[metricName, stat]` of each plain metric of a widget; `[expression]` for math. */
function series(widget: Widget | undefined): string[][] {
  return (widget?.properties.metrics ?? []).flatMap((row) => {
    const options = row.at(-1) as { expression?: string; stat?: string; visible?: boolean };
    if (options.expression !== undefined) return [[options.expression]];
    if (options.visible === false) return [];
    return [[String(row[1]), String(options.stat)]];
  });
}

describe("fanOutWidgets on the dashboard", () => {
  let widgets: Widget[];
  const titled = (title: string) => widgets.find((w) => w.properties.title === title);

  beforeAll(() => {
    const stack = new Stack(testApp(), "Dashboard", { env: TEST_ENV });
    new WorkflowDispatch(stack, "Dispatch", { config: baseConfig() });
    widgets = dashboardWidgets(Template.fromStack(stack));
  });

  it.each([
    [
      "Fan-out (jobs per expansion)",
      [
        ["FanOutSize", "Maximum"],
        ["FanOutRefused", "Sum"],
      ],
    ],
    [
      "Pacing delay (seconds waited for a turn)",
      [
        ["PacingDelay", "p50"],
        ["PacingDelay", "p99"],
        ["PacingDelay", "Maximum"],
      ],
    ],
    [
      "Pacing and duplicates",
      [
        ["PacingDeferred", "Sum"],
        ["DuplicatesSuppressed", "Sum"],
        ["TokenBlocked", "Sum"],
      ],
    ],
  ])("graphs %s", (title, expected) => {
    expect(series(titled(title))).toEqual(expected);
  });

  it("graphs the state table's throttles and system errors and the capacity it used", () => {
    const graphed = series(titled("State table"));

    expect(graphed).toEqual(
      expect.arrayContaining([
        [expect.stringContaining("FILL(throttledgetitem, 0)")],
        [expect.stringContaining("FILL(errorsgetitem, 0)")],
        ["ConsumedWriteCapacityUnits", "Sum"],
        ["ConsumedReadCapacityUnits", "Sum"],
      ]),
    );
  });

  it("keeps the alarm status last and shows every alarm there", () => {
    const status = widgets.at(-1) as { properties: { alarms?: unknown[] } };

    expect(status.properties.alarms).toHaveLength(11);
  });
});
