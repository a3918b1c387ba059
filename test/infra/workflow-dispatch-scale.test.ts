import { NestedStack, Stack } from "aws-cdk-lib";
import { Template } from "aws-cdk-lib/assertions";
import { beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_SCHEDULES_PER_STACK } from "../../infra/workflow-dispatch.js";
import { WorkflowDispatchStack } from "../../infra/workflow-dispatch-stack.js";
import { TEST_ENV, testApp } from "../support/cdk-test-app.js";
import { configWithSchedules } from "../support/dispatch-config-factory.js";

const CLOUDFORMATION_RESOURCE_LIMIT = 500;
const CLOUDFORMATION_TEMPLATE_BYTES = 1_000_000;

function resourceCount(template: Template): number {
  return Object.keys(template.toJSON().Resources).length;
}

describe("WorkflowDispatchStack with 1000 schedules", () => {
  let parent: Template;
  let nested: Template[];
  let synthSeconds: number;

  beforeAll(() => {
    const started = performance.now();
    const stack = new WorkflowDispatchStack(testApp(), "Fleet", {
      env: TEST_ENV,
      config: configWithSchedules(1000),
    });
    parent = Template.fromStack(stack);
    nested = stack.dispatch.scheduleSets.map((set) => Template.fromStack(Stack.of(set)));
    synthSeconds = (performance.now() - started) / 1000;
  });

  it("splits the schedules, in config order, across nested stacks of at most schedulesPerStack", () => {
    parent.resourceCountIs("AWS::CloudFormation::Stack", 3);
    parent.resourceCountIs("AWS::Scheduler::Schedule", 0);
    expect(
      nested.map((t) => Object.keys(t.findResources("AWS::Scheduler::Schedule")).length),
    ).toEqual([
      DEFAULT_SCHEDULES_PER_STACK,
      DEFAULT_SCHEDULES_PER_STACK,
      1000 - 2 * DEFAULT_SCHEDULES_PER_STACK,
    ]);
    nested[1]?.hasResourceProperties("AWS::Scheduler::Schedule", {
      Name: `schedule-0${DEFAULT_SCHEDULES_PER_STACK}`,
    });
  });

  it("gives each nested stack its own schedule group and Scheduler role", () => {
    nested.forEach((template, i) => {
      template.hasResourceProperties("AWS::Scheduler::ScheduleGroup", { Name: `Fleet-${i + 1}` });
      template.resourceCountIs("AWS::IAM::Role", 1);
      template.hasResourceProperties("AWS::Scheduler::Schedule", { GroupName: `Fleet-${i + 1}` });
    });
  });

  it("keeps every stack under CloudFormation's resource and template size limits", () => {
    for (const template of [parent, ...nested]) {
      expect(resourceCount(template)).toBeLessThan(CLOUDFORMATION_RESOURCE_LIMIT);
      expect(JSON.stringify(template.toJSON()).length).toBeLessThan(CLOUDFORMATION_TEMPLATE_BYTES);
    }
  });

  it("synthesizes in well under 30 seconds", () => {
    expect(synthSeconds).toBeLessThan(30);
  });
});

describe("WorkflowDispatchStack at the single-stack limit", () => {
  it("holds schedulesPerStack schedules in its own stack, under 500 resources", () => {
    const stack = new WorkflowDispatchStack(testApp(), "Single", {
      env: TEST_ENV,
      config: configWithSchedules(DEFAULT_SCHEDULES_PER_STACK, {
        alarms: { email: ["a@acme.example", "b@acme.example"] },
      }),
    });
    const template = Template.fromStack(stack);

    template.resourceCountIs("AWS::Scheduler::Schedule", DEFAULT_SCHEDULES_PER_STACK);
    expect(stack.node.findAll().some((c) => c instanceof NestedStack)).toBe(false);
    expect(resourceCount(template)).toBeLessThan(CLOUDFORMATION_RESOURCE_LIMIT);
  });
});
