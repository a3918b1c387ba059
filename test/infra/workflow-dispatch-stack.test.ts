import { Match, Template } from "aws-cdk-lib/assertions";
import { beforeAll, describe, expect, it } from "vitest";
import type { DispatchConfig } from "../../infra/config/dispatch-config.js";
import { WorkflowDispatchStack } from "../../infra/workflow-dispatch-stack.js";
import { TEST_ENV, testApp } from "../support/cdk-test-app.js";
import { baseConfig, schedule } from "../support/dispatch-config-factory.js";

const KEY_ARN = "arn:aws:kms:eu-central-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
const TOPIC_ARN = "arn:aws:sns:eu-central-1:111122223333:platform-alarms";
const PRODUCERS = {
  account: "444455556666",
  role: "arn:aws:iam::111122223333:role/ci-deployer",
  topic: "arn:aws:sns:eu-central-1:111122223333:release-events",
  rule: "arn:aws:events:eu-central-1:111122223333:rule/nightly",
};

const config: DispatchConfig = baseConfig({
  github: {
    tokenSecret: "github/acme-bot",
    apiUrl: "https://ghe.acme.example/api/v3",
    maxInputs: 10,
  },
  secrets: [
    { name: "github/acme-bot" },
    {
      name: "github/acme-app",
      kmsKeyArn: KEY_ARN,
      pacing: { requestsPerMinute: 30, requestsPerHour: 300, maxConcurrency: 10 },
    },
  ],
  allowedRepositories: ["acme/api", "acme/web-*"],
  alarms: { email: ["oncall@acme.example"], snsTopicArn: TOPIC_ARN },
  producers: Object.values(PRODUCERS),
  schedules: [
    schedule({
      name: "weekday-berlin",
      expression: "cron(0 9 ? * MON-FRI *)",
      timezone: "Europe/Berlin",
      description: "Weekday mornings",
      job: {
        owner: "acme",
        repo: "api",
        workflow_id: "smoke.yml",
        ref: "main",
        inputs: { scheduled_time: "<aws.scheduler.scheduled-time>" },
      },
    }),
    schedule({
      name: "every-ten-minutes",
      expression: "rate(10 minutes)",
      flexibleWindowMinutes: 5,
      startDate: "2027-01-01T00:00:00+01:00",
      endDate: new Date("2027-12-31T23:00:00Z"),
      enabled: false,
      job: {
        owner: "acme",
        repo: "web-shop",
        workflow_id: 1234,
        ref: "release",
        token_secret: "github/acme-app",
      },
    }),
    schedule({
      name: "once",
      expression: "at(2027-01-07T08:00:00)",
      timezone: "Europe/Berlin",
      job: { targets: ["acme/api", "acme/web-shop"], workflow_id: "freeze.yml", ref: "main" },
    }),
  ],
});

let template: Template;
let functionArn: unknown;
let queueArn: unknown;
let deadLetterArn: unknown;
let tableId: string;

function logicalId(type: string, props: Record<string, unknown> = {}): string {
  const ids = Object.keys(template.findResources(type, { Properties: Match.objectLike(props) }));
  expect(ids, `${type} ${JSON.stringify(props)}`).toHaveLength(1);
  return ids[0] as string;
}

beforeAll(() => {
  const stack = new WorkflowDispatchStack(testApp(), "DispatchTest", { env: TEST_ENV, config });
  template = Template.fromStack(stack);
  functionArn = { "Fn::GetAtt": [logicalId("AWS::Lambda::Function"), "Arn"] };
  queueArn = {
    "Fn::GetAtt": [logicalId("AWS::SQS::Queue", { RedrivePolicy: Match.anyValue() }), "Arn"],
  };
  deadLetterArn = {
    "Fn::GetAtt": [logicalId("AWS::SQS::Queue", { RedrivePolicy: Match.absent() }), "Arn"],
  };
  tableId = logicalId("AWS::DynamoDB::Table");
});

describe("WorkflowDispatchStack schedules", () => {
  it("creates one schedule per config entry in the stack's schedule group", () => {
    template.resourceCountIs("AWS::Scheduler::Schedule", 3);
    template.hasResourceProperties("AWS::Scheduler::ScheduleGroup", { Name: "DispatchTest" });
  });

  it.each([
    [
      "weekday-berlin",
      {
        ScheduleExpression: "cron(0 9 ? * MON-FRI *)",
        ScheduleExpressionTimezone: "Europe/Berlin",
        FlexibleTimeWindow: { Mode: "OFF" },
        State: "ENABLED",
        Description: "Weekday mornings",
        StartDate: Match.absent(),
      },
    ],
    [
      "every-ten-minutes",
      {
        ScheduleExpression: "rate(10 minutes)",
        ScheduleExpressionTimezone: "UTC",
        FlexibleTimeWindow: { Mode: "FLEXIBLE", MaximumWindowInMinutes: 5 },
        State: "DISABLED",
        StartDate: "2026-12-31T23:00:00.000Z",
        EndDate: "2027-12-31T23:00:00.000Z",
      },
    ],
    [
      "once",
      {
        ScheduleExpression: "at(2027-01-07T08:00:00)",
        ScheduleExpressionTimezone: "Europe/Berlin",
        StartDate: Match.absent(),
        EndDate: Match.absent(),
      },
    ],
  ])("renders %s with its expression, time zone, window, dates and state", (name, expected) => {
    template.hasResourceProperties("AWS::Scheduler::Schedule", {
      Name: name,
      GroupName: "DispatchTest",
      ...expected,
    });
  });

  it("invokes the function with a retry policy and the dead-letter queue for undeliverable firings", () => {
    const schedules = template.findResources("AWS::Scheduler::Schedule");
    for (const resource of Object.values(schedules)) {
      expect(resource.Properties.Target).toMatchObject({
        Arn: functionArn,
        RetryPolicy: { MaximumRetryAttempts: 10, MaximumEventAgeInSeconds: 3600 },
        DeadLetterConfig: { Arn: deadLetterArn },
      });
    }
  });

  it("passes the job with Scheduler's context attributes as input", () => {
    const [resource] = Object.values(
      template.findResources("AWS::Scheduler::Schedule", {
        Properties: { Name: "weekday-berlin" },
      }),
    );

    expect(JSON.parse(resource?.Properties.Target.Input)).toEqual({
      owner: "acme",
      repo: "api",
      workflow_id: "smoke.yml",
      ref: "main",
      inputs: { scheduled_time: "<aws.scheduler.scheduled-time>" },
      scheduler: {
        schedule_arn: "<aws.scheduler.schedule-arn>",
        scheduled_time: "<aws.scheduler.scheduled-time>",
        execution_id: "<aws.scheduler.execution-id>",
        attempt_number: "<aws.scheduler.attempt-number>",
      },
    });
  });
});

describe("WorkflowDispatchStack function", () => {
  it("runs Node.js 24 on arm64 with the chosen memory, timeout and log group", () => {
    template.hasResourceProperties("AWS::Lambda::Function", {
      Runtime: "nodejs24.x",
      Architectures: ["arm64"],
      Handler: "index.handler",
      MemorySize: 256,
      Timeout: 60,
      LoggingConfig: { LogGroup: { Ref: logicalId("AWS::Logs::LogGroup") } },
      ReservedConcurrentExecutions: Match.absent(),
    });
    template.hasResourceProperties("AWS::Logs::LogGroup", { RetentionInDays: 30 });
  });

  it("gets the environment of the design from the config", () => {
    template.hasResourceProperties("AWS::Lambda::Function", {
      Environment: {
        Variables: {
          GITHUB_TOKEN_SECRET: "github/acme-bot",
          GITHUB_API_URL: "https://ghe.acme.example/api/v3",
          ALLOWED_REPOSITORIES: "acme/api,acme/web-*",
          DISPATCH_QUEUE_URL: { Ref: (queueArn as { "Fn::GetAtt": string[] })["Fn::GetAtt"][0] },
          DEAD_LETTER_QUEUE_URL: {
            Ref: (deadLetterArn as { "Fn::GetAtt": string[] })["Fn::GetAtt"][0],
          },
          MAX_WORKFLOW_INPUTS: "10",
          GITHUB_REQUEST_TIMEOUT_MS: "10000",
          SECRET_CACHE_TTL_MS: "300000",
          BATCH_CONCURRENCY: "10",
          MAX_ATTEMPTS: "8",
          PACING_LIMITS:
            '{"github/acme-app":{"requestsPerMinute":30,"requestsPerHour":300,"maxConcurrency":10}}',
          STATE_TABLE_NAME: { Ref: tableId },
          IDEMPOTENCY_WINDOW_SECONDS: "86400",
          POWERTOOLS_SERVICE_NAME: "workflow-dispatch",
          POWERTOOLS_METRICS_NAMESPACE: "WorkflowDispatch",
          NODE_OPTIONS: "--enable-source-maps",
        },
      },
    });
  });

  it("consumes the queue in small batches at once, with partial batch responses and bounded concurrency", () => {
    template.hasResourceProperties("AWS::Lambda::EventSourceMapping", {
      EventSourceArn: queueArn,
      BatchSize: 10,
      MaximumBatchingWindowInSeconds: 0,
      FunctionResponseTypes: ["ReportBatchItemFailures"],
      ScalingConfig: { MaximumConcurrency: 5 },
    });
  });

  it("retries failed direct invocations twice within an hour, then sends them to the dead-letter queue", () => {
    template.hasResourceProperties("AWS::Lambda::EventInvokeConfig", {
      Qualifier: "$LATEST",
      MaximumRetryAttempts: 2,
      MaximumEventAgeInSeconds: 3600,
      DestinationConfig: { OnFailure: { Destination: deadLetterArn } },
    });
  });
});

describe("WorkflowDispatchStack queues", () => {
  it("redrives the queue to the dead-letter queue after more receives than the function's attempts", () => {
    template.hasResourceProperties("AWS::SQS::Queue", {
      SqsManagedSseEnabled: true,
      VisibilityTimeout: 360,
      MessageRetentionPeriod: 4 * 24 * 3600,
      RedrivePolicy: { deadLetterTargetArn: deadLetterArn, maxReceiveCount: 12 },
    });
  });

  it("keeps parked jobs for 14 days, encrypted", () => {
    template.hasResourceProperties("AWS::SQS::Queue", {
      SqsManagedSseEnabled: true,
      MessageRetentionPeriod: 14 * 24 * 3600,
      RedrivePolicy: Match.absent(),
    });
  });

  it.each([
    ["queue", () => queueArn],
    ["dead-letter queue", () => deadLetterArn],
  ])("denies requests to the %s without TLS", (_name, arn) => {
    template.hasResourceProperties("AWS::SQS::QueuePolicy", {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: "Deny",
            Action: "sqs:*",
            Condition: { Bool: { "aws:SecureTransport": "false" } },
            Resource: arn(),
          }),
        ]),
      },
    });
  });

  it.each([
    [
      "an account",
      {
        AWS: Match.arrayWith([
          {
            "Fn::Join": [
              "",
              ["arn:", { Ref: "AWS::Partition" }, `:iam::${PRODUCERS.account}:root`],
            ],
          },
        ]),
      },
      undefined,
    ],
    ["an IAM role", { AWS: Match.arrayWith([PRODUCERS.role]) }, undefined],
    [
      "an SNS topic",
      { Service: "sns.amazonaws.com" },
      { ArnEquals: { "aws:SourceArn": PRODUCERS.topic } },
    ],
    [
      "an EventBridge rule",
      { Service: "events.amazonaws.com" },
      { ArnEquals: { "aws:SourceArn": PRODUCERS.rule } },
    ],
  ])("lets %s from the config's producers send jobs", (_name, principal, condition) => {
    template.hasResourceProperties("AWS::SQS::QueuePolicy", {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: "Allow",
            Action: ["sqs:GetQueueAttributes", "sqs:GetQueueUrl", "sqs:SendMessage"],
            Principal: principal,
            Resource: queueArn,
            ...(condition ? { Condition: condition } : {}),
          }),
        ]),
      },
    });
  });
});

describe("WorkflowDispatchStack IAM", () => {
  const secretArn = (name: string) => ({
    "Fn::Join": [
      "",
      [
        "arn:",
        { Ref: "AWS::Partition" },
        `:secretsmanager:eu-central-1:111122223333:secret:${name}-??????`,
      ],
    ],
  });

  it("lets the function use only its log group, its queues, the state table and the declared secrets", () => {
    const functionRole = template.findResources("AWS::Lambda::Function") as Record<
      string,
      { Properties: { Role: { "Fn::GetAtt": string[] } } }
    >;
    const roleId = Object.values(functionRole)[0]?.Properties.Role["Fn::GetAtt"][0];

    template.hasResourceProperties("AWS::IAM::Policy", {
      Roles: [{ Ref: roleId }],
      PolicyDocument: {
        Statement: [
          {
            Effect: "Allow",
            Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
            Resource: { "Fn::GetAtt": [logicalId("AWS::Logs::LogGroup"), "Arn"] },
          },
          {
            Effect: "Allow",
            Action: [
              "sqs:ChangeMessageVisibility",
              "sqs:DeleteMessage",
              "sqs:GetQueueAttributes",
              "sqs:GetQueueUrl",
              "sqs:ReceiveMessage",
              "sqs:SendMessage",
            ],
            Resource: queueArn,
          },
          {
            Effect: "Allow",
            Action: ["sqs:GetQueueAttributes", "sqs:GetQueueUrl", "sqs:SendMessage"],
            Resource: deadLetterArn,
          },
          {
            Effect: "Allow",
            Action: [
              "dynamodb:DeleteItem",
              "dynamodb:GetItem",
              "dynamodb:PutItem",
              "dynamodb:UpdateItem",
            ],
            Resource: { "Fn::GetAtt": [tableId, "Arn"] },
          },
          {
            Effect: "Allow",
            Action: ["secretsmanager:DescribeSecret", "secretsmanager:GetSecretValue"],
            Resource: [secretArn("github/acme-app"), secretArn("github/acme-bot")],
          },
          {
            Effect: "Allow",
            Action: "kms:Decrypt",
            Resource: KEY_ARN,
            Condition: {
              StringEquals: { "kms:ViaService": "secretsmanager.eu-central-1.amazonaws.com" },
            },
          },
        ],
      },
    });
  });

  it("lets Scheduler assume its role only for this schedule group in this account", () => {
    template.hasResourceProperties("AWS::IAM::Role", {
      AssumeRolePolicyDocument: {
        Statement: [
          {
            Effect: "Allow",
            Action: "sts:AssumeRole",
            Principal: { Service: "scheduler.amazonaws.com" },
            Condition: {
              StringEquals: {
                "aws:SourceAccount": "111122223333",
                "aws:SourceArn": {
                  "Fn::GetAtt": [logicalId("AWS::Scheduler::ScheduleGroup"), "Arn"],
                },
              },
            },
          },
        ],
      },
    });
  });

  it("lets the Scheduler role invoke exactly this function and reach the dead-letter queue", () => {
    template.hasResourceProperties("AWS::IAM::Policy", {
      PolicyDocument: {
        Statement: [
          { Effect: "Allow", Action: "lambda:InvokeFunction", Resource: functionArn },
          { Effect: "Allow", Action: "sqs:SendMessage", Resource: deadLetterArn },
        ],
      },
    });
  });

  it("never grants on a wildcard resource", () => {
    const policies = template.findResources("AWS::IAM::Policy");
    const resources = Object.values(policies).flatMap((policy) =>
      policy.Properties.PolicyDocument.Statement.flatMap((s: { Resource: unknown }) =>
        Array.isArray(s.Resource) ? s.Resource : [s.Resource],
      ),
    );

    expect(resources.length).toBeGreaterThan(0);
    for (const resource of resources) expect(JSON.stringify(resource)).not.toMatch(/\*/);
  });
});

describe("WorkflowDispatchStack alarms and dashboard", () => {
  it.each([
    ["ApproximateNumberOfMessagesVisible", "AWS/SQS", 1, "Maximum"],
    ["Errors", "AWS/Lambda", 1, "Sum"],
    ["Throttles", "AWS/Lambda", 1, "Sum"],
    ["ApproximateAgeOfOldestMessage", "AWS/SQS", 3600, "Maximum"],
  ])(
    "alarms on %s and notifies the e-mail topic and the configured topic",
    (metric, namespace, threshold, statistic) => {
      template.hasResourceProperties("AWS::CloudWatch::Alarm", {
        MetricName: metric,
        Namespace: namespace,
        Threshold: threshold,
        Statistic: statistic,
        ComparisonOperator: "GreaterThanOrEqualToThreshold",
        TreatMissingData: "notBreaching",
        AlarmActions: [{ Ref: logicalId("AWS::SNS::Topic") }, TOPIC_ARN],
        OKActions: [{ Ref: logicalId("AWS::SNS::Topic") }, TOPIC_ARN],
      });
    },
  );

  it("subscribes the configured e-mail address to a TLS-only topic", () => {
    template.hasResourceProperties("AWS::SNS::Subscription", {
      Protocol: "email",
      Endpoint: "oncall@acme.example",
    });
    template.hasResourceProperties("AWS::SNS::TopicPolicy", {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: "Deny",
            Condition: { Bool: { "aws:SecureTransport": "false" } },
          }),
        ]),
      },
    });
  });

  it("shows dispatches, failures by class, schedule lag and queue depths on the dashboard", () => {
    const [dashboard] = Object.values(template.findResources("AWS::CloudWatch::Dashboard"));
    const body = JSON.stringify(dashboard?.Properties.DashboardBody);

    for (const text of [
      "WorkflowDispatch",
      "Dispatched",
      "DispatchRetried",
      "AmbiguousRetry",
      "DeadLettered",
      "ScheduleLag",
      "DispatchLatency",
      '\\"FailureClass\\",\\"permanent\\"',
      '\\"FailureClass\\",\\"rate_limited\\"',
      '\\"FailureClass\\",\\"transient\\"',
      "ApproximateNumberOfMessagesVisible",
      "ApproximateAgeOfOldestMessage",
    ]) {
      expect(body).toContain(text);
    }
  });

  it("outputs the queue URLs, the function name and the dashboard link", () => {
    template.hasOutput("QueueUrl", {
      Value: { Ref: (queueArn as { "Fn::GetAtt": string[] })["Fn::GetAtt"][0] },
    });
    template.hasOutput("DeadLetterQueueUrl", {
      Value: { Ref: (deadLetterArn as { "Fn::GetAtt": string[] })["Fn::GetAtt"][0] },
    });
    template.hasOutput("FunctionName", { Value: { Ref: logicalId("AWS::Lambda::Function") } });
    template.hasOutput("DashboardUrl", {
      Value: {
        "Fn::Join": [
          "",
          Match.arrayWith([
            "https://eu-central-1.console.aws.amazon.com/cloudwatch/home?region=eu-central-1#dashboards/dashboard/",
            { Ref: logicalId("AWS::CloudWatch::Dashboard") },
          ]),
        ],
      },
    });
  });
});
