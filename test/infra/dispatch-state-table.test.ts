import { RemovalPolicy, Stack, Validations } from "aws-cdk-lib";
import { Match, Template } from "aws-cdk-lib/assertions";
import { beforeAll, describe, expect, it } from "vitest";
import { STATE_TABLE_ACTIONS } from "../../infra/dispatch-state-table.js";
import { WorkflowDispatch, type WorkflowDispatchProps } from "../../infra/workflow-dispatch.js";
import { TEST_ENV, testApp } from "../support/cdk-test-app.js";
import { baseConfig } from "../support/dispatch-config-factory.js";

interface Statement {
  readonly Action: string | string[];
  readonly Resource: unknown;
}

function build(props: Partial<WorkflowDispatchProps> = {}) {
  const stack = new Stack(testApp(), "State", { env: TEST_ENV });
  const dispatch = new WorkflowDispatch(stack, "Dispatch", { config: baseConfig(), ...props });
  return { stack, dispatch, template: Template.fromStack(stack) };
}

function tableLogicalId(template: Template): string {
  const ids = Object.keys(template.findResources("AWS::DynamoDB::Table"));
  expect(ids).toHaveLength(1);
  return ids[0] as string;
}

function statements(template: Template): Statement[] {
  return Object.values(template.findResources("AWS::IAM::Policy")).flatMap(
    (policy) => policy.Properties.PolicyDocument.Statement as Statement[],
  );
}

const actionsOf = (statement: Statement) => [statement.Action].flat();

describe("DispatchStateTable", () => {
  let built: ReturnType<typeof build>;
  let tableId: string;

  beforeAll(() => {
    built = build({
      config: baseConfig({ idempotencyWindowHours: 48 }),
    });
    tableId = tableLogicalId(built.template);
  });

  it("is one on-demand table keyed by id (String), with TTL on expiration and no indexes", () => {
    built.template.resourceCountIs("AWS::DynamoDB::Table", 1);
    built.template.hasResourceProperties("AWS::DynamoDB::Table", {
      KeySchema: [{ AttributeName: "id", KeyType: "HASH" }],
      AttributeDefinitions: [{ AttributeName: "id", AttributeType: "S" }],
      TimeToLiveSpecification: { AttributeName: "expiration", Enabled: true },
      BillingMode: "PAY_PER_REQUEST",
      GlobalSecondaryIndexes: Match.absent(),
      LocalSecondaryIndexes: Match.absent(),
      ProvisionedThroughput: Match.absent(),
    });
  });

  it("is encrypted with the AWS owned key and keeps no point-in-time backups of transient state", () => {
    built.template.hasResourceProperties("AWS::DynamoDB::Table", {
      SSESpecification: { SSEEnabled: false },
      PointInTimeRecoverySpecification: Match.absent(),
    });
  });

  it("is deleted with the stack by default", () => {
    built.template.hasResource("AWS::DynamoDB::Table", {
      DeletionPolicy: "Delete",
      UpdateReplacePolicy: "Delete",
    });
  });

  it("keeps the table when stateTableRemovalPolicy says RETAIN", () => {
    const { template } = build({ stateTableRemovalPolicy: RemovalPolicy.RETAIN });

    template.hasResource("AWS::DynamoDB::Table", {
      DeletionPolicy: "Retain",
      UpdateReplacePolicy: "Retain",
    });
  });

  it("names the table and the configured idempotency window in the function's environment", () => {
    built.template.hasResourceProperties("AWS::Lambda::Function", {
      Environment: {
        Variables: Match.objectLike({
          STATE_TABLE_NAME: { Ref: tableId },
          IDEMPOTENCY_WINDOW_SECONDS: String(48 * 3600),
          PACING_LIMITS: Match.absent(),
        }),
      },
    });
  });

  it("lets the function get, put, update and delete single items of the table, nothing else", () => {
    const onTable = statements(built.template).filter((s) =>
      actionsOf(s).some((action) => action.startsWith("dynamodb:")),
    );

    expect(onTable).toEqual([
      {
        Effect: "Allow",
        Action: [...STATE_TABLE_ACTIONS].sort(),
        Resource: { "Fn::GetAtt": [tableId, "Arn"] },
      },
    ]);
    expect(STATE_TABLE_ACTIONS).toEqual([
      "dynamodb:GetItem",
      "dynamodb:PutItem",
      "dynamodb:UpdateItem",
      "dynamodb:DeleteItem",
    ]);
  });

  it("acknowledges cdk-nag's point-in-time recovery rule on the table only, with its reason", () => {
    const acknowledged = built.stack.node.findAll().flatMap((construct) =>
      construct.node.metadata
        .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
        .flatMap((entry) => Object.entries(entry.data as Record<string, string>))
        .map(([id, reason]) => ({ path: construct.node.path, id, reason })),
    );

    expect(acknowledged).toEqual([
      {
        path: "State/Dispatch/State/Table",
        id: expect.stringMatching(/AwsSolutions-DDB3$/),
        reason: expect.stringContaining(
          "transient idempotency/pacing state that expires within 24 hours",
        ),
      },
    ]);
  });
});
