import { Duration, Stack } from "aws-cdk-lib";
import { Annotations, Match, Template } from "aws-cdk-lib/assertions";
import * as iam from "aws-cdk-lib/aws-iam";
import * as logs from "aws-cdk-lib/aws-logs";
import * as sqs from "aws-cdk-lib/aws-sqs";
import { beforeAll, describe, expect, it } from "vitest";
import { ConfigError } from "../../infra/config/config-error.js";
import { WorkflowDispatch } from "../../infra/workflow-dispatch.js";
import { TEST_ENV, testApp } from "../support/cdk-test-app.js";
import { baseConfig, schedule } from "../support/dispatch-config-factory.js";

describe("WorkflowDispatch inside a team's own stack", () => {
  let template: Template;
  let annotations: Annotations;
  let dispatch: WorkflowDispatch;
  let ownQueueArn: unknown;

  beforeAll(() => {
    const stack = new Stack(testApp(), "PlatformStack", { env: TEST_ENV });
    const ownQueue = new sqs.Queue(stack, "OwnQueue", { enforceSSL: true });
    const deployer = new iam.Role(stack, "Deployer", {
      assumedBy: new iam.AccountPrincipal("111122223333"),
    });
    const operator = new iam.Role(stack, "Operator", {
      assumedBy: new iam.AccountPrincipal("111122223333"),
    });
    dispatch = new WorkflowDispatch(stack, "Dispatch", {
      config: baseConfig({
        schedules: [
          schedule({
            name: "nightly",
            expression: "cron(30 2 * * ? *)",
            timezone: "Europe/Berlin",
          }),
        ],
      }),
      memorySize: 512,
      timeout: Duration.seconds(90),
      maxConcurrency: 10,
      reservedConcurrency: 20,
      scheduleGroupName: "team-a",
      scheduleRetryAttempts: 3,
      scheduleMaxEventAge: Duration.minutes(30),
    });
    dispatch.grantSendJobs(deployer);
    dispatch.grantRedrive(operator);
    template = Template.fromStack(stack);
    annotations = Annotations.fromStack(stack);
    ownQueueArn = {
      "Fn::GetAtt": [stack.getLogicalId(ownQueue.node.defaultChild as sqs.CfnQueue), "Arn"],
    };
  });

  it("adds its resources next to the team's own", () => {
    template.resourceCountIs("AWS::SQS::Queue", 3);
    template.resourceCountIs("AWS::Lambda::Function", 1);
    template.hasResourceProperties("AWS::Scheduler::ScheduleGroup", { Name: "team-a" });
  });

  it("applies the tuning props", () => {
    template.hasResourceProperties("AWS::Lambda::Function", {
      MemorySize: 512,
      Timeout: 90,
      ReservedConcurrentExecutions: 20,
      Environment: { Variables: { PACING_LIMITS: Match.absent() } },
    });
    template.hasResourceProperties("AWS::SQS::Queue", { VisibilityTimeout: 6 * 90 });
    template.hasResourceProperties("AWS::Lambda::EventSourceMapping", {
      ScalingConfig: { MaximumConcurrency: 10 },
    });
    template.hasResourceProperties("AWS::Scheduler::Schedule", {
      GroupName: "team-a",
      Target: { RetryPolicy: { MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: 1800 } },
    });
  });

  it("grants a principal to send jobs with grantSendJobs", () => {
    template.hasResourceProperties("AWS::IAM::Policy", {
      Roles: [{ Ref: Match.stringLikeRegexp("^Deployer") }],
      PolicyDocument: {
        Statement: [
          {
            Effect: "Allow",
            Action: ["sqs:GetQueueAttributes", "sqs:GetQueueUrl", "sqs:SendMessage"],
            Resource: { "Fn::GetAtt": [Match.stringLikeRegexp("^DispatchQueuesQueue"), "Arn"] },
          },
        ],
      },
    });
  });

  it("grants redrive: consume the dead-letter queue, send to the dispatch queue", () => {
    template.hasResourceProperties("AWS::IAM::Policy", {
      Roles: [{ Ref: Match.stringLikeRegexp("^Operator") }],
      PolicyDocument: {
        Statement: [
          Match.objectLike({
            Action: ["sqs:GetQueueAttributes", "sqs:GetQueueUrl", "sqs:SendMessage"],
            Resource: { "Fn::GetAtt": [Match.stringLikeRegexp("^DispatchQueuesQueue"), "Arn"] },
          }),
          Match.objectLike({
            Action: Match.arrayWith(["sqs:DeleteMessage", "sqs:ReceiveMessage"]),
            Resource: {
              "Fn::GetAtt": [Match.stringLikeRegexp("^DispatchQueuesDeadLetterQueue"), "Arn"],
            },
          }),
        ],
      },
    });
  });

  it("touches none of the team's own resources", () => {
    const policies = JSON.stringify(template.findResources("AWS::IAM::Policy"));

    expect(policies).not.toContain(JSON.stringify(ownQueueArn));
  });

  it("creates no alarm notifications when the config names none", () => {
    template.resourceCountIs("AWS::SNS::Topic", 0);
    template.hasResourceProperties("AWS::CloudWatch::Alarm", { AlarmActions: Match.absent() });
  });

  it("shows a daylight-saving warning on the schedule it concerns", () => {
    annotations.hasWarning(
      "/PlatformStack/Dispatch/Schedules/nightly",
      Match.stringLikeRegexp(
        'schedules\\[0\\] "nightly"\\.expression: 02:30 Europe/Berlin does not exist on',
      ),
    );
  });

  it("exposes the validated config", () => {
    expect(dispatch.config.schedules.map((s) => s.name)).toEqual(["nightly"]);
  });
});

describe("WorkflowDispatch validation", () => {
  const stack = () => new Stack(testApp(), "Validation", { env: TEST_ENV });

  it("throws a ConfigError listing every config error before building anything", () => {
    const scope = stack();
    const build = () =>
      new WorkflowDispatch(scope, "Dispatch", {
        config: baseConfig({
          schedules: [
            schedule({ timezone: "Europe/Berln" }),
            schedule({ name: "second", expression: "cron(0 9 * * MON-FRI)" }),
          ],
        }),
      });

    const error = (() => {
      try {
        build();
      } catch (e) {
        return e;
      }
    })();

    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toMatch(
      /2 problems:\n {2}- schedules\[0\] "nightly"\.timezone: .*\n {2}- schedules\[1\] "second"\.expression/,
    );
    expect(scope.node.tryFindChild("Dispatch")?.node.children).toEqual([]);
  });

  it.each([
    [
      { maxAttempts: 8, maxReceiveCount: 8 },
      "maxReceiveCount (8) must be greater than maxAttempts (8)",
    ],
    [
      { timeout: Duration.seconds(15) },
      "requestTimeout (10 s) must be at most half of timeout (15 s)",
    ],
    [
      { timeout: Duration.seconds(20), requestTimeout: Duration.seconds(5) },
      "timeout must be at least 30 s, got 20 s",
    ],
    [{ batchSize: 11 }, "batchSize must be a whole number between 1 and 10, got 11"],
    [{ maxConcurrency: 1 }, "maxConcurrency must be a whole number between 2 and 1000, got 1"],
    [{ scheduleGroupName: "team a" }, 'scheduleGroupName "team a" must be 1-60 characters'],
  ])("throws for props %o, naming the value", (props, message) => {
    expect(
      () => new WorkflowDispatch(stack(), "Dispatch", { config: baseConfig(), ...props }),
    ).toThrow(message);
  });

  it("passes the function, queue and alarm props it inherits to the resources they tune", () => {
    const scope = stack();
    new WorkflowDispatch(scope, "Dispatch", {
      config: baseConfig(),
      requestTimeout: Duration.seconds(5),
      secretCacheTtl: Duration.minutes(1),
      maxAttempts: 3,
      batchSize: 4,
      maxBatchingWindow: Duration.seconds(2),
      asyncRetryAttempts: 1,
      asyncMaxEventAge: Duration.minutes(10),
      logRetention: logs.RetentionDays.ONE_WEEK,
      deadLetterRetentionPeriod: Duration.days(7),
      oldestMessageAgeThreshold: Duration.minutes(30),
    });
    const template = Template.fromStack(scope);

    template.hasResourceProperties("AWS::Lambda::Function", {
      Environment: {
        Variables: Match.objectLike({
          GITHUB_REQUEST_TIMEOUT_MS: "5000",
          SECRET_CACHE_TTL_MS: "60000",
          MAX_ATTEMPTS: "3",
          BATCH_CONCURRENCY: "4",
        }),
      },
    });
    template.hasResourceProperties("AWS::Lambda::EventSourceMapping", {
      BatchSize: 4,
      MaximumBatchingWindowInSeconds: 2,
    });
    template.hasResourceProperties("AWS::Lambda::EventInvokeConfig", {
      MaximumRetryAttempts: 1,
      MaximumEventAgeInSeconds: 600,
    });
    template.hasResourceProperties("AWS::Logs::LogGroup", { RetentionInDays: 7 });
    template.hasResourceProperties("AWS::SQS::Queue", {
      VisibilityTimeout: 6 * 60 + 2,
      RedrivePolicy: Match.objectLike({ maxReceiveCount: 3 + 4 }),
    });
    template.hasResourceProperties("AWS::SQS::Queue", {
      MessageRetentionPeriod: 7 * 24 * 3600,
      RedrivePolicy: Match.absent(),
    });
    template.hasResourceProperties("AWS::CloudWatch::Alarm", {
      MetricName: "ApproximateAgeOfOldestMessage",
      Threshold: 1800,
    });
  });

  it("warns, without failing, about a batching window that makes paced jobs miss their turn", () => {
    const scope = stack();
    new WorkflowDispatch(scope, "Dispatch", {
      config: baseConfig(),
      maxBatchingWindow: Duration.seconds(2),
    });

    Annotations.fromStack(scope).hasWarning(
      "/Validation/Dispatch/Dispatcher",
      Match.stringLikeRegexp("maxBatchingWindow is 2 seconds: jobs handed back to the queue"),
    );
  });

  it.each([0, 1])("accepts a batching window of %i s without a warning", (seconds) => {
    const scope = stack();
    new WorkflowDispatch(scope, "Dispatch", {
      config: baseConfig(),
      maxBatchingWindow: Duration.seconds(seconds),
    });

    Annotations.fromStack(scope).hasNoWarning("*", Match.stringLikeRegexp("maxBatchingWindow"));
  });

  it("creates no schedule group when the config has no schedules", () => {
    const scope = stack();
    new WorkflowDispatch(scope, "Dispatch", { config: baseConfig() });

    Template.fromStack(scope).resourceCountIs("AWS::Scheduler::ScheduleGroup", 0);
  });
});
