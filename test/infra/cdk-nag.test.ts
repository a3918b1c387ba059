import { Validations } from "aws-cdk-lib";
import { AwsSolutionsChecks } from "cdk-nag";
import type { IConstruct } from "constructs";
import { beforeAll, describe, expect, it } from "vitest";
import { config as exampleConfig } from "../../dispatch.config.js";
import { WorkflowDispatchStack } from "../../infra/workflow-dispatch-stack.js";
import { TEST_ENV, testApp } from "../support/cdk-test-app.js";
import { configWithSchedules } from "../support/dispatch-config-factory.js";

/** Every `Validations.of(x).acknowledge({ id, reason })`: CDK records each as `{ [id]: reason }`. */
function acknowledgments(root: IConstruct): Array<{ path: string; id: string; reason: string }> {
  return root.node.findAll().flatMap((construct) =>
    construct.node.metadata
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((entry) => Object.entries(entry.data as Record<string, string>))
      .map(([id, reason]) => ({ path: construct.node.path, id, reason })),
  );
}

describe("cdk-nag AwsSolutions checks", () => {
  let synthError: unknown;
  let acks: ReturnType<typeof acknowledgments>;

  beforeAll(() => {
    // CloudFormation's own template validation runs too, as in `cdk synth` (strict via cdk.json).
    const app = testApp({ validate: true });
    new WorkflowDispatchStack(app, "Example", { env: TEST_ENV, config: exampleConfig });
    new WorkflowDispatchStack(app, "Everything", {
      env: TEST_ENV,
      config: configWithSchedules(5, {
        secrets: [
          { name: "github/acme-bot" },
          {
            name: "github/acme-app",
            kmsKeyArn:
              "arn:aws:kms:eu-central-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
          },
        ],
        alarms: {
          email: ["oncall@acme.example"],
          snsTopicArn: "arn:aws:sns:eu-central-1:111122223333:alarms",
        },
        producers: [
          "444455556666",
          "arn:aws:iam::111122223333:role/ci",
          "arn:aws:sns:eu-central-1:111122223333:events",
          "arn:aws:events:eu-central-1:111122223333:rule/nightly",
        ],
      }),
      // Two per stack: the nested-stack layout is checked too.
      dispatch: { schedulesPerStack: 2, reservedConcurrency: 10 },
    });
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    try {
      app.synth();
    } catch (error) {
      synthError = error;
    }
    acks = acknowledgments(app);
  });

  it("finds nothing unacknowledged in the example stack or a stack using every option", () => {
    expect(synthError).toBeUndefined();
  });

  it("acknowledges only point-in-time recovery on each state table, with a written reason", () => {
    expect(acks).toEqual(
      ["Example", "Everything"].map((stack) => ({
        path: `${stack}/WorkflowDispatch/State/Table`,
        id: expect.stringMatching(/^(annotation::)?AwsSolutions-DDB3$/i),
        reason: expect.stringMatching(/^transient idempotency\/pacing state that expires/),
      })),
    );
  });
});
