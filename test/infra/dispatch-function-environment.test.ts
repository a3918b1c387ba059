import { Duration } from "aws-cdk-lib";
import { Match, Template } from "aws-cdk-lib/assertions";
import { beforeAll, describe, expect, it } from "vitest";
import { WorkflowDispatchStack } from "../../infra/workflow-dispatch-stack.js";
import {
  checkFunctionEnvironment,
  FunctionVariable,
} from "../../lambda/config/function-environment.js";
import { TEST_ENV, testApp } from "../support/cdk-test-app.js";
import { baseConfig } from "../support/dispatch-config-factory.js";

/** What the tokens of the synthesized environment (Refs to the queues and the table) resolve to. */
const DEPLOYED: Readonly<Record<string, string>> = {
  [FunctionVariable.DispatchQueueUrl]:
    "https://sqs.eu-central-1.amazonaws.com/111122223333/dispatch",
  [FunctionVariable.DeadLetterQueueUrl]: "https://sqs.eu-central-1.amazonaws.com/111122223333/dlq",
  [FunctionVariable.StateTableName]: "workflow-dispatch-state",
  [FunctionVariable.FunctionRoleId]: "AROAEXAMPLEROLEID0001",
};

/** The function's `Environment.Variables` with every unresolved token replaced by {@link DEPLOYED}. */
function deployedEnvironment(template: Template): Record<string, string> {
  const functions = Object.values(template.findResources("AWS::Lambda::Function"));
  expect(functions).toHaveLength(1);
  const variables = (
    functions[0] as { Properties: { Environment: { Variables: Record<string, unknown> } } }
  ).Properties.Environment.Variables;
  return Object.fromEntries(
    Object.entries(variables).map(([name, value]) => {
      if (typeof value === "string") return [name, value];
      const deployed = DEPLOYED[name];
      if (deployed === undefined) {
        throw new Error(`${name} is a token (${JSON.stringify(value)}); add a deployed value`);
      }
      return [name, deployed];
    }),
  );
}

describe("the function's environment as the stack sets it", () => {
  let environment: Record<string, string>;
  let template: Template;

  beforeAll(() => {
    const stack = new WorkflowDispatchStack(testApp(), "WorkflowDispatch", {
      env: TEST_ENV,
      config: baseConfig({
        github: { tokenSecret: "github/acme-bot", apiUrl: "https://ghe.acme.example/api/v3/" },
        secrets: [
          { name: "github/acme-bot" },
          { name: "github/acme-app", pacing: { requestsPerMinute: 30, maxConcurrency: 10 } },
        ],
        allowedRepositories: ["acme/api", "acme/web-*"],
        idempotencyWindowHours: 48,
      }),
      dispatch: {
        requestTimeout: Duration.seconds(5),
        secretCacheTtl: Duration.minutes(2),
        batchSize: 4,
        maxAttempts: 6,
      },
    });
    template = Template.fromStack(stack);
    environment = deployedEnvironment(template);
  });

  it("tells the function its own role's unique id, so it can tell its own queued messages from a producer's", () => {
    template.hasResourceProperties("AWS::Lambda::Function", {
      Environment: {
        Variables: Match.objectLike({
          FUNCTION_ROLE_ID: { "Fn::GetAtt": [Match.stringLikeRegexp("Role"), "RoleId"] },
        }),
      },
    });
  });

  it("sets only variables the function's schema knows", () => {
    const known: readonly string[] = Object.values(FunctionVariable);

    expect(Object.keys(environment).filter((name) => !known.includes(name))).toEqual([]);
  });

  it("parses with the function's schema into the config the stack was given", () => {
    const { config, problems } = checkFunctionEnvironment({
      ...environment,
      [FunctionVariable.AwsRegion]: TEST_ENV.region,
    });

    expect(problems).toEqual([]);
    expect(config).toMatchObject({
      defaultTokenSecret: "github/acme-bot",
      githubApiUrl: "https://ghe.acme.example/api/v3",
      dispatchQueueUrl: DEPLOYED[FunctionVariable.DispatchQueueUrl],
      deadLetterQueueUrl: DEPLOYED[FunctionVariable.DeadLetterQueueUrl],
      maxInputs: 25,
      requestTimeoutMs: 5000,
      secretCacheTtlMs: 120_000,
      batchConcurrency: 4,
      maxAttempts: 6,
      stateTableName: DEPLOYED[FunctionVariable.StateTableName],
      idempotencyWindowSeconds: 48 * 3600,
      region: TEST_ENV.region,
    });
    expect(config?.allowlist.source).toEqual(["acme/api", "acme/web-*"]);
    expect(config?.pacingLimits.limitsFor("github/acme-app")).toMatchObject({
      perMinute: 30,
      perHour: 500,
      maxConcurrency: 10,
      requestTimeoutMs: 5000,
    });
    expect(config?.pacingLimits.limitsFor("github/acme-bot").perMinute).toBe(80);
  });
});
