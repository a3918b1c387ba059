import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { readFunctionConfig } from "../../../lambda/config/function-config.js";
import {
  checkFunctionEnvironment,
  FUNCTION_VARIABLE_DEFAULTS,
  FunctionVariable,
} from "../../../lambda/config/function-environment.js";
import { InvalidEnvironmentError } from "../../../lambda/outcome/errors.js";
import { rejectionOf } from "../../support/rejection-of.js";

const SECRET = "github/acme-bot";
const minimal = { GITHUB_TOKEN_SECRET: SECRET };
const ARN = "arn:aws:secretsmanager:eu-central-1:111122223333:secret:github/ghes-bot-AbCdEf";

describe("the function's environment schema", () => {
  it("needs only GITHUB_TOKEN_SECRET and defaults everything else", () => {
    const config = readFunctionConfig(minimal);

    expect(config).toMatchObject({
      defaultTokenSecret: SECRET,
      githubApiUrl: "https://api.github.com",
      dispatchQueueUrl: undefined,
      deadLetterQueueUrl: undefined,
      maxInputs: 25,
      requestTimeoutMs: 10_000,
      secretCacheTtlMs: 300_000,
      batchConcurrency: 10,
      maxAttempts: 8,
      awsRequestTimeoutMs: 5_000,
      awsMaxAttempts: 3,
      stateTableName: undefined,
      pacing: true,
      fanOutSpread: true,
      pacingAlignMs: 2000,
      idempotencyWindowSeconds: 86_400,
      region: undefined,
    });
    expect(config.allowlist.source).toEqual([]);
    expect(config.pacingLimits.limitsFor(SECRET)).toEqual({
      perMinute: 80,
      perHour: 500,
      maxConcurrency: 100,
      requestTimeoutMs: 10_000,
      marginMs: 2000,
      hourMarginMs: 30_000,
    });
  });

  it("reads every default from FUNCTION_VARIABLE_DEFAULTS: setting each default gives the same config", () => {
    const explicit = readFunctionConfig({ ...minimal, ...FUNCTION_VARIABLE_DEFAULTS });

    expect(explicit).toEqual(readFunctionConfig(minimal));
  });

  it.each([
    [
      FunctionVariable.GitHubApiUrl,
      "https://ghe.acme.example/api/v3/",
      "githubApiUrl",
      "https://ghe.acme.example/api/v3",
    ],
    [
      FunctionVariable.DispatchQueueUrl,
      "https://sqs.eu-central-1.amazonaws.com/111122223333/q",
      "dispatchQueueUrl",
      "https://sqs.eu-central-1.amazonaws.com/111122223333/q",
    ],
    [
      FunctionVariable.DeadLetterQueueUrl,
      "http://127.0.0.1:9/111122223333/dlq",
      "deadLetterQueueUrl",
      "http://127.0.0.1:9/111122223333/dlq",
    ],
    [FunctionVariable.MaxWorkflowInputs, "10", "maxInputs", 10],
    [FunctionVariable.GitHubRequestTimeoutMs, "4000", "requestTimeoutMs", 4000],
    [FunctionVariable.SecretCacheTtlMs, "60000", "secretCacheTtlMs", 60_000],
    [FunctionVariable.BatchConcurrency, "1", "batchConcurrency", 1],
    [FunctionVariable.MaxAttempts, "3", "maxAttempts", 3],
    [FunctionVariable.AwsRequestTimeoutMs, "200", "awsRequestTimeoutMs", 200],
    [FunctionVariable.AwsMaxAttempts, "2", "awsMaxAttempts", 2],
    [
      FunctionVariable.StateTableName,
      "workflow-dispatch-state",
      "stateTableName",
      "workflow-dispatch-state",
    ],
    [FunctionVariable.IdempotencyWindowSeconds, "3600", "idempotencyWindowSeconds", 3600],
    [FunctionVariable.Pacing, "off", "pacing", false],
    [FunctionVariable.Pacing, " TRUE ", "pacing", true],
    [FunctionVariable.FanOutSpread, "0", "fanOutSpread", false],
    [FunctionVariable.PacingAlignMs, "0", "pacingAlignMs", 0],
    [FunctionVariable.AwsRegion, "eu-central-1", "region", "eu-central-1"],
  ] as const)("reads %s=%j into %s", (variable, value, field, expected) => {
    const config = readFunctionConfig({ ...minimal, [variable]: value });

    expect(config[field]).toEqual(expected);
  });

  it.each([
    FunctionVariable.BatchConcurrency,
    FunctionVariable.StateTableName,
    FunctionVariable.Pacing,
    FunctionVariable.DispatchQueueUrl,
  ])("treats an empty %s as unset", (variable) => {
    expect(readFunctionConfig({ ...minimal, [variable]: "" })).toEqual(readFunctionConfig(minimal));
  });

  it("reads ALLOWED_REPOSITORIES as comma-separated owner/repo patterns", () => {
    const { allowlist } = readFunctionConfig({
      ...minimal,
      ALLOWED_REPOSITORIES: " acme/* , other/api",
    });

    expect(allowlist.source).toEqual(["acme/*", "other/api"]);
    expect(allowlist.allows("other", "api")).toBe(true);
  });

  it("reads PACING_LIMITS per secret over the defaults, with GITHUB_REQUEST_TIMEOUT_MS for spacing", () => {
    const { pacingLimits } = readFunctionConfig({
      ...minimal,
      GITHUB_REQUEST_TIMEOUT_MS: "4000",
      PACING_LIMITS: JSON.stringify({
        "github/ghes-bot": { requestsPerMinute: 30, maxConcurrency: 5 },
      }),
    });

    expect(pacingLimits.limitsFor(ARN)).toMatchObject({
      perMinute: 30,
      perHour: 500,
      maxConcurrency: 5,
      requestTimeoutMs: 4000,
    });
    expect(pacingLimits.limitsFor("github/other")).toMatchObject({
      perMinute: 80,
      requestTimeoutMs: 4000,
    });
  });

  it("accepts the variables the runtime reads (AWS SDK, Powertools, Node.js) without changing the config", () => {
    const config = readFunctionConfig({
      ...minimal,
      AWS_ENDPOINT_URL: "http://127.0.0.1:4566",
      AWS_ENDPOINT_URL_SQS: "http://127.0.0.1:9324",
      AWS_ENDPOINT_URL_SECRETS_MANAGER: "http://127.0.0.1:4584",
      AWS_ENDPOINT_URL_DYNAMODB: "http://127.0.0.1:8000",
      POWERTOOLS_SERVICE_NAME: "workflow-dispatch",
      POWERTOOLS_METRICS_NAMESPACE: "WorkflowDispatch",
      NODE_OPTIONS: "--enable-source-maps",
      UNRELATED: "ignored",
    });

    expect(config).toEqual(readFunctionConfig(minimal));
  });

  it.each([
    [
      { GITHUB_TOKEN_SECRET: undefined },
      "GITHUB_TOKEN_SECRET: not set; set it to the Secrets Manager secret id or ARN holding the GitHub token",
    ],
    [
      { GITHUB_TOKEN_SECRET: "  " },
      "GITHUB_TOKEN_SECRET: not set; set it to the Secrets Manager secret id or ARN holding the GitHub token",
    ],
    [
      { GITHUB_API_URL: "api.github.com" },
      'GITHUB_API_URL: "api.github.com" is not a URL; use https://api.github.com, or https://HOST/api/v3 for GHES',
    ],
    [
      { ALLOWED_REPOSITORIES: "acme" },
      'ALLOWED_REPOSITORIES: "acme" is not an owner/repo pattern; use e.g. "acme/api" or "acme/*"',
    ],
    [
      { DISPATCH_QUEUE_URL: "workflow-dispatch" },
      `DISPATCH_QUEUE_URL: "workflow-dispatch" is not a URL; set it to the stack's queue URL, https://sqs.REGION.amazonaws.com/ACCOUNT/NAME`,
    ],
    [
      { DEAD_LETTER_QUEUE_URL: "dlq" },
      `DEAD_LETTER_QUEUE_URL: "dlq" is not a URL; set it to the stack's queue URL, https://sqs.REGION.amazonaws.com/ACCOUNT/NAME`,
    ],
    [
      { MAX_WORKFLOW_INPUTS: "ten" },
      'MAX_WORKFLOW_INPUTS: "ten" is not a positive integer; unset it to use 25',
    ],
    [
      { GITHUB_REQUEST_TIMEOUT_MS: "10s" },
      'GITHUB_REQUEST_TIMEOUT_MS: "10s" is not a positive integer; unset it to use 10000',
    ],
    [
      { SECRET_CACHE_TTL_MS: "-1" },
      'SECRET_CACHE_TTL_MS: "-1" is not a positive integer; unset it to use 300000',
    ],
    [
      { BATCH_CONCURRENCY: "abc" },
      'BATCH_CONCURRENCY: "abc" is not a positive integer; unset it to use 10',
    ],
    [{ MAX_ATTEMPTS: "0" }, 'MAX_ATTEMPTS: "0" is not a positive integer; unset it to use 8'],
    [
      { AWS_REQUEST_TIMEOUT_MS: "5s" },
      'AWS_REQUEST_TIMEOUT_MS: "5s" is not a positive integer; unset it to use 5000',
    ],
    [
      { AWS_MAX_ATTEMPTS: "2.5" },
      'AWS_MAX_ATTEMPTS: "2.5" is not a positive integer; unset it to use 3',
    ],
    [
      { IDEMPOTENCY_WINDOW_SECONDS: "10" },
      'IDEMPOTENCY_WINDOW_SECONDS: "10" is not a whole number of at least 60; unset it to use 86400',
    ],
    [
      { PACING: "sometimes" },
      'PACING: "sometimes" is neither on nor off; use on or off, or unset it to use on',
    ],
    [
      { FAN_OUT_SPREAD: "2" },
      'FAN_OUT_SPREAD: "2" is neither on nor off; use on or off, or unset it to use on',
    ],
    [
      { PACING_ALIGN_MS: "-1" },
      'PACING_ALIGN_MS: "-1" is not a whole number from 0 to 10000; unset it to use 2000',
    ],
    [
      { PACING_ALIGN_MS: "10001" },
      'PACING_ALIGN_MS: "10001" is not a whole number from 0 to 10000; unset it to use 2000',
    ],
    [
      { PACING_LIMITS: "{" },
      'PACING_LIMITS: "{" is not JSON; use e.g. {"github/ghes-bot": {"requestsPerMinute": 30}}',
    ],
    [
      { PACING_LIMITS: "[]" },
      'PACING_LIMITS: "[]" is not a JSON object of secret name to limits; use e.g. {"github/ghes-bot": {"requestsPerMinute": 30}}',
    ],
    [
      { PACING_LIMITS: '{"s": 30}' },
      'PACING_LIMITS["s"]: must be an object such as {"requestsPerMinute": 30}',
    ],
    [
      { PACING_LIMITS: '{"s": {"requestsPerMinute": -1}}' },
      'PACING_LIMITS["s"].requestsPerMinute: must be a whole number from 1 to 10000, got -1',
    ],
    [
      { PACING_LIMITS: '{"s": {"maxConcurrency": 500}}' },
      'PACING_LIMITS["s"].maxConcurrency: must be a whole number from 1 to 100 (GitHub allows 100 concurrent requests), got 500',
    ],
    [
      { PACING_LIMITS: '{"s": {"per_minute": 5}}' },
      'PACING_LIMITS["s"]: unknown field "per_minute"; allowed are requestsPerMinute, requestsPerHour, maxConcurrency',
    ],
    [
      { AWS_ENDPOINT_URL_SQS: "localhost" },
      `AWS_ENDPOINT_URL_SQS: "localhost" is not a URL; set it to the endpoint's URL, e.g. http://127.0.0.1:4566, or unset it`,
    ],
  ])("rejects %j, naming the variable, the value and the fix", (bad, problem) => {
    const { config, problems } = checkFunctionEnvironment({ ...minimal, ...bad });

    expect(config).toBeUndefined();
    expect(problems).toEqual([problem]);
  });

  it("rejects a long bad value, showing only its start", () => {
    const { problems } = checkFunctionEnvironment({
      ...minimal,
      BATCH_CONCURRENCY: "9".repeat(30) + "x".repeat(100),
    });

    expect(problems).toEqual([
      `BATCH_CONCURRENCY: "${"9".repeat(30)}${"x".repeat(30)}"... is not a positive integer; unset it to use 10`,
    ]);
  });

  it("throws one InvalidEnvironmentError listing every bad variable at once", async () => {
    const error = await rejectionOf(
      Promise.resolve().then(() =>
        readFunctionConfig({
          BATCH_CONCURRENCY: "abc",
          PACING: "sometimes",
          ALLOWED_REPOSITORIES: "acme/*,acme,other",
          PACING_LIMITS: '{"a": {"requestsPerMinute": 0}, "b": {"requestsPerHour": "many"}}',
        }),
      ),
      InvalidEnvironmentError,
    );

    const { problems } = error;
    expect(problems).toEqual([
      "GITHUB_TOKEN_SECRET: not set; set it to the Secrets Manager secret id or ARN holding the GitHub token",
      'ALLOWED_REPOSITORIES: "acme" is not an owner/repo pattern; use e.g. "acme/api" or "acme/*"',
      'ALLOWED_REPOSITORIES: "other" is not an owner/repo pattern; use e.g. "acme/api" or "acme/*"',
      'BATCH_CONCURRENCY: "abc" is not a positive integer; unset it to use 10',
      'PACING: "sometimes" is neither on nor off; use on or off, or unset it to use on',
      'PACING_LIMITS["a"].requestsPerMinute: must be a whole number from 1 to 10000, got 0',
      'PACING_LIMITS["b"].requestsPerHour: must be a whole number from 1 to 100000, got "many"',
    ]);
    expect(error.message).toBe(
      `7 problems in the function's environment:\n${problems.map((p) => `  - ${p}`).join("\n")}`,
    );
  });
});

/** The rows of README's table of the function's environment: the names in the first cell, the default. */
function readmeRows(): Array<{ names: string[]; defaultCell: string }> {
  const readme = readFileSync(new URL("../../../README.md", import.meta.url), "utf8");
  const section = readme.split("\n## The function's environment\n")[1]?.split("\n## ")[0] ?? "";
  return section
    .split("\n")
    .filter((line) => line.startsWith("| `"))
    .map((line) => {
      const [names = "", defaultCell = ""] = line.slice(1).split(" | ");
      return {
        names: [...names.matchAll(/`([A-Z0-9_]+)`/g)].map((m) => m[1] ?? ""),
        defaultCell: defaultCell.trim(),
      };
    });
}

describe("README's table of the function's environment", () => {
  const rows = readmeRows();

  it("lists every variable of the schema once, and no other", () => {
    const listed = rows.flatMap((row) => row.names);

    expect([...listed].sort()).toEqual(Object.values(FunctionVariable).sort());
  });

  it.each(Object.entries(FUNCTION_VARIABLE_DEFAULTS))(
    "documents the schema's default of %s, %s",
    (variable, value) => {
      const row = rows.find((r) => r.names.includes(variable));

      expect(row?.defaultCell).toBe(`\`${value}\``);
    },
  );
});
